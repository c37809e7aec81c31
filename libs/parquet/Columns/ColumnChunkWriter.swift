/// Buffers one leaf column of the current row group: levels and values of the page being
/// filled, plus the already encoded pages of the chunk.
///
/// Pages are only cut at row boundaries (`endRow()`), which keeps every record within one
/// page as readers that seek by row expect.
///
/// A struct mutated in place inside the writer's array: as a class, every buffer append went
/// through a dynamic exclusivity check, which cost about a quarter of the write time.
struct ColumnChunkWriter {
    let column: ColumnDescriptor
    let settings: ColumnWriterSettings
    let repetitionLevelBitWidth: Int
    let definitionLevelBitWidth: Int
    /// Flat required columns store no levels at all.
    let hasRepetitionLevels: Bool
    let hasDefinitionLevels: Bool

    // MARK: Current page

    // Page buffers are PageBuffer (a class), so a column writer must not be copied: it lives
    // in the writer's array and is mutated in place.
    let repetitionLevels = PageBuffer<UInt16>()
    let definitionLevels = PageBuffer<UInt16>()
    /// Level entries in the page; counted separately because a flat required column stores no levels.
    var pageLevelCount = 0
    var pageRowCount = 0
    /// PLAIN values of numeric columns, and of byte-array columns when not dictionary-encoded.
    let plainValues = PageBuffer<UInt8>()
    /// PLAIN booleans are bit-packed, least significant bit first.
    var booleanBits: [UInt8] = []
    var booleanCount = 0
    let dictionaryIndices = PageBuffer<UInt32>()
    /// Numbers of the current row waiting for their dictionary indices, looked up together at
    /// the row's end (see `FixedWidthDictionary.appendIndices`).
    let pendingDictionaryValues = PageBuffer<UInt64>()
    /// Where a page is assembled (levels, then values) before it is compressed.
    let pageBody = PageBuffer<UInt8>()
    /// The compressor's output, reused from page to page (see `PageCompressor.compress`).
    let compressedPage = PageBuffer<UInt8>()
    /// What the dictionary-coded values of this page would take as PLAIN; decides whether the
    /// dictionary pays for itself.
    var dictionaryPagePlainByteCount = 0

    // MARK: Current chunk

    /// The chunk's dictionary while it is in use, and afterwards as long as earlier pages refer
    /// to it: `dictionary` for byte arrays, `valueDictionary` for numbers (at most one is set).
    var dictionary: ByteArrayDictionary?
    var valueDictionary: FixedWidthDictionary?
    /// Whether values currently go through the dictionary (switches to PLAIN only between pages).
    var isDictionaryEncoding = false
    /// Set when the dictionary outgrew its limit; the page is finished at the end of the row.
    var dictionaryIsFull = false
    /// The "does the dictionary pay" check runs once, on the first page that has values.
    var isDictionaryWorthChecked = false
    /// Finished pages of the chunk as separate buffers (header, then body): appending them to
    /// one growing buffer re-copied the whole chunk on every reallocation.
    var encodedPages: [[UInt8]] = []
    var encodedPageByteCount = 0
    /// Set while this chunk is the one being written to the file (a row group written column
    /// by column): pages that need no dictionary page before them go straight to the file.
    var streamSink: FileSink?
    /// File offset of the chunk's first streamed page.
    var streamedOffset: Int64?
    var dataPageCount = 0
    var dataPageCountByEncoding: [Encoding: Int32] = [:]
    var chunkValueCount: Int64 = 0
    var chunkUncompressedByteCount: Int64 = 0
    var chunkCompressedByteCount: Int64 = 0
    var statistics = StatisticsAccumulator()

    init(column: ColumnDescriptor, settings: ColumnWriterSettings) {
        self.column = column
        self.settings = settings
        repetitionLevelBitWidth = BitWidth.required(forMaxValue: column.maxRepetitionLevel)
        definitionLevelBitWidth = BitWidth.required(forMaxValue: column.maxDefinitionLevel)
        hasRepetitionLevels = column.maxRepetitionLevel > 0
        hasDefinitionLevels = column.maxDefinitionLevel > 0
        startChunk()
    }

    /// Appends a present value; `value` has already been validated against the column type.
    mutating func append(_ value: ParquetValue, repetitionLevel: Int, definitionLevel: Int) {
        recordLevels(repetitionLevel: repetitionLevel, definitionLevel: definitionLevel)
        switch value {
        case .bool(let flag):
            appendValue(flag)
        case .int32(let number):
            appendValue(number)
        case .int64(let number), .timestampMillis(let number), .timestampMicros(let number):
            appendValue(number)
        case .float(let number):
            appendValue(number)
        case .double(let number):
            appendValue(number)
        case .string(var text):
            // Native strings hand out their UTF-8 storage without a copy.
            text.withUTF8 { appendByteArray(UnsafeRawBufferPointer($0)) }
        case .binary(let bytes):
            bytes.withUnsafeBytes { appendByteArray($0) }
        case .null, .list, .struct:
            preconditionFailure("column \(column.dottedPath) received \(value.kindDescription) after validation")
        }
    }

    // MARK: Typed values (the levels are recorded separately with `recordLevels`)

    mutating func appendValue(_ flag: Bool) {
        if booleanCount % 8 == 0 {
            booleanBits.append(0)
        }
        if flag {
            booleanBits[booleanBits.count - 1] |= 1 << UInt8(booleanCount % 8)
        }
        booleanCount += 1
        if settings.writeStatistics { statistics.include(flag) }
    }

    mutating func appendValue(_ number: Int32) {
        if isDictionaryEncoding {
            appendDictionaryValue(UInt64(UInt32(bitPattern: number)))
        } else {
            plainValues.appendLittleEndian(number)
        }
        if settings.writeStatistics { statistics.include(number) }
    }

    mutating func appendValue(_ number: Int64) {
        if isDictionaryEncoding {
            appendDictionaryValue(UInt64(bitPattern: number))
        } else {
            plainValues.appendLittleEndian(number)
        }
        if settings.writeStatistics { statistics.include(number) }
    }

    mutating func appendValue(_ number: Float) {
        if isDictionaryEncoding {
            appendDictionaryValue(UInt64(number.bitPattern))
        } else {
            plainValues.appendLittleEndian(number.bitPattern)
        }
        if settings.writeStatistics { statistics.include(number) }
    }

    mutating func appendValue(_ number: Double) {
        if isDictionaryEncoding {
            appendDictionaryValue(number.bitPattern)
        } else {
            plainValues.appendLittleEndian(number.bitPattern)
        }
        if settings.writeStatistics { statistics.include(number) }
    }

    /// 8-byte numbers of one list, all present: appended with one copy to the PLAIN values or
    /// to the numbers waiting for their dictionary indices (both hold the bit patterns).
    mutating func appendValues(_ numbers: UnsafeBufferPointer<Int64>) {
        numbers.withMemoryRebound(to: UInt64.self) { appendBitPatterns($0) }
        if settings.writeStatistics {
            for number in numbers { statistics.include(number) }
        }
    }

    mutating func appendValues(_ numbers: UnsafeBufferPointer<Double>) {
        numbers.withMemoryRebound(to: UInt64.self) { appendBitPatterns($0) }
        if settings.writeStatistics {
            for number in numbers { statistics.include(number) }
        }
    }

    private mutating func appendBitPatterns(_ bits: UnsafeBufferPointer<UInt64>) {
        if isDictionaryEncoding {
            pendingDictionaryValues.append(contentsOf: bits)
            return
        }
        #if _endian(little)
        plainValues.append(bytes: UnsafeRawBufferPointer(bits))
        #else
        for pattern in bits { plainValues.appendLittleEndian(pattern) }
        #endif
    }

    /// Records the levels of a list's `count` present leaf values: the first entry at
    /// `firstRepetitionLevel`, the others at the list's own `repetitionLevel`.
    @inline(__always)
    mutating func recordLevelRun(count: Int, firstRepetitionLevel: Int, repetitionLevel: Int, definitionLevel: Int) {
        if hasRepetitionLevels {
            repetitionLevels.append(UInt16(truncatingIfNeeded: firstRepetitionLevel))
            repetitionLevels.append(repeating: UInt16(truncatingIfNeeded: repetitionLevel), count: count - 1)
        }
        if hasDefinitionLevels {
            definitionLevels.append(repeating: UInt16(truncatingIfNeeded: definitionLevel), count: count)
        }
        pageLevelCount += count
    }

    /// Records an entry without a value: a null here or in an ancestor, or an empty list.
    mutating func appendNull(repetitionLevel: Int, definitionLevel: Int) {
        recordLevels(repetitionLevel: repetitionLevel, definitionLevel: definitionLevel)
        if settings.writeStatistics {
            statistics.recordNull()
        }
    }

    /// Called after every row; finishes the page when it is full.
    mutating func endRow() throws {
        if !pendingDictionaryValues.isEmpty {
            resolvePendingDictionaryValues()
        }
        pageRowCount += 1
        if dictionaryIsFull || pageRowCount >= settings.pageRowLimit
            || estimatedPageByteCount >= settings.pageByteLimit {
            try finishPage()
        }
    }

    /// Approximate memory held for the row group: encoded pages, the open page and the dictionary.
    var estimatedBufferedByteCount: Int {
        encodedPageByteCount + estimatedPageByteCount + dictionaryPlainByteCount
    }

    /// Approximate encoded size of the open page, assuming levels and indices bit-pack fully.
    var estimatedPageByteCount: Int {
        let levelBits = repetitionLevels.count * repetitionLevelBitWidth
            + definitionLevels.count * definitionLevelBitWidth
        // Until the dictionary has proven it pays, the page may still be re-encoded PLAIN,
        // so it is sized as PLAIN.
        let dictionaryCodedBytes = isDictionaryWorthChecked
            ? dictionaryIndices.count * dictionaryIndexBitWidth / 8
            : dictionaryPagePlainByteCount
        return levelBits / 8 + dictionaryCodedBytes + plainValues.count + booleanBits.count
    }

    @inline(__always)
    mutating func recordLevels(repetitionLevel: Int, definitionLevel: Int) {
        if hasRepetitionLevels {
            repetitionLevels.append(UInt16(truncatingIfNeeded: repetitionLevel))
        }
        if hasDefinitionLevels {
            definitionLevels.append(UInt16(truncatingIfNeeded: definitionLevel))
        }
        pageLevelCount += 1
    }

    mutating func appendByteArray(_ bytes: UnsafeRawBufferPointer) {
        if settings.writeStatistics {
            statistics.include(bytes)
        }
        guard isDictionaryEncoding else {
            plainValues.appendPlainByteArray(bytes)
            return
        }
        dictionaryIndices.append(dictionary!.index(of: bytes))
        dictionaryPagePlainByteCount += 4 + bytes.count
        if dictionary!.plainByteCount > settings.dictionaryByteLimit {
            dictionaryIsFull = true
        }
    }

    /// A number's bit pattern for the numbers' dictionary; its index is found at the row's end.
    @inline(__always)
    mutating func appendDictionaryValue(_ bits: UInt64) {
        pendingDictionaryValues.append(bits)
    }

    mutating func resolvePendingDictionaryValues() {
        let dictionary = valueDictionary!
        dictionary.appendIndices(of: pendingDictionaryValues.buffer, to: dictionaryIndices)
        dictionaryPagePlainByteCount += pendingDictionaryValues.count * dictionary.width
        pendingDictionaryValues.removeAll()
        if dictionary.plainByteCount > settings.dictionaryByteLimit {
            dictionaryIsFull = true
        }
    }

    // MARK: Whichever dictionary the column has

    var hasDictionary: Bool { dictionary != nil || valueDictionary != nil }

    var dictionaryEntryCount: Int { dictionary?.count ?? valueDictionary?.count ?? 0 }

    var dictionaryPlainByteCount: Int { dictionary?.plainByteCount ?? valueDictionary?.plainByteCount ?? 0 }

    var dictionaryIndexBitWidth: Int { dictionary?.indexBitWidth ?? valueDictionary?.indexBitWidth ?? 0 }

    /// The dictionary page body: the entries PLAIN-encoded, in index order.
    var dictionaryPageBody: [UInt8] { dictionary?.plainEncoded ?? valueDictionary?.plainEncoded ?? [] }

    func appendDictionaryEntryPlain(index: Int, to output: PageBuffer<UInt8>) {
        if let dictionary {
            dictionary.appendPlain(index: index, to: output)
        } else {
            valueDictionary!.appendPlain(index: index, to: output)
        }
    }
}
