extension ColumnChunkWriter {
    /// Encodes the open page (levels, then values) and appends it to the chunk.
    mutating func finishPage() throws {
        if !pendingDictionaryValues.isEmpty {
            resolvePendingDictionaryValues()
        }
        guard pageLevelCount > 0 else { return }
        pageBody.removeAll()
        if hasRepetitionLevels {
            appendLevels(repetitionLevels, bitWidth: repetitionLevelBitWidth)
        }
        if hasDefinitionLevels {
            appendLevels(definitionLevels, bitWidth: definitionLevelBitWidth)
        }
        // PLAIN values stay in their own buffer until it is known whether the page is
        // compressed: an uncompressed page streamed to the file never copies them.
        let (encoding, valuesInPlainBuffer) = appendPageValues()

        let dataPageHeader = DataPageHeader(valueCount: try pageSize(pageLevelCount), encoding: encoding)
        let makeHeader = { (uncompressed: Int32, compressed: Int32) in
            PageHeader(type: .dataPage, uncompressedPageSize: uncompressed, compressedPageSize: compressed,
                       dataPageHeader: dataPageHeader)
        }
        // A page without levels whose values are PLAIN in their own buffer (a required
        // top-level column without a dictionary) is compressed straight from that buffer.
        let valuesOnly = valuesInPlainBuffer && pageBody.isEmpty
        if valuesInPlainBuffer && !valuesOnly && settings.compressor.codec != .uncompressed {
            pageBody.append(bytes: plainValues.rawBytes)
        }
        let body = valuesOnly ? plainValues.rawBytes : pageBody.rawBytes
        if let sink = streamSink, !hasDictionary {
            // No dictionary page will precede the data pages, so they can go to the file now
            // instead of being held until the row group ends.
            if streamedOffset == nil { streamedOffset = sink.position }
            for piece in encodedPages { try sink.write(piece) }
            encodedPages.removeAll()
            encodedPageByteCount = 0
            if settings.compressor.codec == .uncompressed {
                // Stored as is: levels and values are written from their buffers, without a copy.
                let tail = valuesInPlainBuffer && !valuesOnly ? plainValues.rawBytes : UnsafeRawBufferPointer(start: nil, count: 0)
                try sink.write(try pageHeader(bodyCount: body.count + tail.count, compressedCount: body.count + tail.count, makeHeader))
                try sink.write(body)
                try sink.write(tail)
            } else {
                // Written from the reused compression buffer, without an array per page.
                try settings.compressor.compress(body, into: compressedPage)
                try sink.write(try pageHeader(bodyCount: body.count, compressedCount: compressedPage.count, makeHeader))
                try sink.write(compressedPage.rawBytes)
            }
        } else {
            var page: [UInt8] = []
            var uncompressedCount = body.count
            if settings.compressor.codec == .uncompressed {
                let tail = valuesInPlainBuffer && !valuesOnly ? plainValues.rawBytes : UnsafeRawBufferPointer(start: nil, count: 0)
                uncompressedCount += tail.count
                page.reserveCapacity(uncompressedCount)
                page.append(contentsOf: body)
                page.append(contentsOf: tail)
            } else {
                try settings.compressor.compress(body, into: compressedPage)
                // Kept at its compressed size (the compressor's buffer is sized for the worst case).
                page = Array(compressedPage.rawBytes)
            }
            let header = try pageHeader(bodyCount: uncompressedCount, compressedCount: page.count, makeHeader)
            encodedPages.append(header)
            encodedPages.append(page)
            encodedPageByteCount += header.count + page.count
        }
        chunkValueCount += Int64(pageLevelCount)
        dataPageCount += 1
        dataPageCountByEncoding[encoding, default: 0] += 1
        if dictionaryIsFull {
            // Later pages of this chunk are PLAIN; the dictionary stays for the pages that use it.
            isDictionaryEncoding = false
            dictionaryIsFull = false
        }
        resetPage()
    }

    /// Finishes the last page and hands over the chunk, then starts an empty chunk for the next
    /// row group.
    mutating func finishChunk() throws -> EncodedColumnChunk {
        try finishPage()
        var dictionaryPage: [UInt8]?
        let dictionaryPageCount = dataPageCountByEncoding[.rleDictionary, default: 0]
        if hasDictionary, dictionaryPageCount > 0 {
            let dictionaryPageHeader = DictionaryPageHeader(valueCount: try pageSize(dictionaryEntryCount))
            dictionaryPage = try dictionaryPageBody.withUnsafeBytes { body in
                try compressedPageBytes(body: body) { uncompressed, compressed in
                    PageHeader(type: .dictionaryPage, uncompressedPageSize: uncompressed, compressedPageSize: compressed,
                               dictionaryPageHeader: dictionaryPageHeader)
                }
            }
        }

        var encodings = Set(dataPageCountByEncoding.keys)
        if dictionaryPage != nil {
            encodings.insert(.plain)  // the dictionary page itself is PLAIN
        }
        if column.maxDefinitionLevel > 0 || column.maxRepetitionLevel > 0 {
            encodings.insert(.rle)
        }
        var encodingStats = dictionaryPage == nil
            ? [] : [PageEncodingStats(pageType: .dictionaryPage, encoding: .plain, count: 1)]
        for (encoding, count) in dataPageCountByEncoding.sorted(by: { $0.key < $1.key }) {
            encodingStats.append(PageEncodingStats(pageType: .dataPage, encoding: encoding, count: count))
        }

        let chunk = EncodedColumnChunk(
            dictionaryPage: dictionaryPage,
            dataPages: encodedPages,
            streamedOffset: streamedOffset,
            dataPageCount: dataPageCount,
            valueCount: chunkValueCount,
            totalUncompressedSize: chunkUncompressedByteCount,
            totalCompressedSize: chunkCompressedByteCount,
            encodings: encodings.sorted(),
            encodingStats: encodingStats,
            statistics: settings.writeStatistics
                ? statistics.makeStatistics(
                    physicalType: column.leafType.physicalType, byteArrayLimit: settings.statisticsValueByteLimit)
                : nil)
        startChunk()
        return chunk
    }

    /// Resets the chunk state; byte-array and number columns start every chunk trying a fresh
    /// dictionary (as Arrow's writer does; booleans are always PLAIN).
    mutating func startChunk() {
        var usesDictionary = settings.dictionaryEncoding
        // The hash table is sized for the previous chunk's hashed entries (small values go to
        // the dictionary's dense array, which grows by itself).
        let previousCount = valueDictionary?.hashedCount ?? 0
        dictionary = nil
        valueDictionary = nil
        switch column.leafType.physicalType {
        case .byteArray: if usesDictionary { dictionary = ByteArrayDictionary() }
        case .int32, .float:
            if usesDictionary { valueDictionary = FixedWidthDictionary(width: 4, expectedCount: previousCount) }
        case .int64, .double:
            if usesDictionary { valueDictionary = FixedWidthDictionary(width: 8, expectedCount: previousCount) }
        case .boolean: usesDictionary = false
        }
        isDictionaryEncoding = usesDictionary
        dictionaryIsFull = false
        isDictionaryWorthChecked = false
        encodedPages = []
        encodedPageByteCount = 0
        streamedOffset = nil
        dataPageCount = 0
        dataPageCountByEncoding = [:]
        chunkValueCount = 0
        chunkUncompressedByteCount = 0
        chunkCompressedByteCount = 0
        statistics = StatisticsAccumulator()
    }

    // MARK: - Page encoding

    /// Appends the page's values to `pageBody` and returns their encoding, except PLAIN values
    /// already in `plainValues`, which the caller appends or writes itself (then the second
    /// result is true).
    private mutating func appendPageValues() -> (Encoding, Bool) {
        if column.leafType.physicalType == .boolean {
            booleanBits.withUnsafeBytes { pageBody.append(bytes: $0) }
            return (.plain, false)
        }
        guard isDictionaryEncoding, hasDictionary else {
            return (.plain, true)
        }
        let indexBitWidth = dictionaryIndexBitWidth
        // Dictionary data pages: one byte of index bit width, then RLE/bit-packed indices.
        let valuesStart = pageBody.count
        pageBody.append(UInt8(indexBitWidth))
        RLEHybridEncoder.encode(dictionaryIndices.buffer, bitWidth: indexBitWidth, into: pageBody)
        if !isDictionaryWorthChecked && !dictionaryIndices.isEmpty {
            isDictionaryWorthChecked = true
            if dictionaryPlainByteCount + (pageBody.count - valuesStart) >= dictionaryPagePlainByteCount {
                // Mostly distinct values: the dictionary costs more than it saves, so this page is
                // re-encoded PLAIN and the chunk continues without a dictionary.
                pageBody.truncate(to: valuesStart)
                for index in dictionaryIndices.buffer {
                    appendDictionaryEntryPlain(index: Int(index), to: pageBody)
                }
                dictionary = nil
                valueDictionary = nil
                isDictionaryEncoding = false
                dictionaryIsFull = false
                return (.plain, false)
            }
        }
        return (.rleDictionary, false)
    }

    /// Levels in a v1 data page: a 4-byte little-endian length, then the RLE/bit-packed levels.
    private func appendLevels(_ levels: PageBuffer<UInt16>, bitWidth: Int) {
        let lengthOffset = pageBody.count
        pageBody.appendLittleEndian(UInt32(0))
        RLEHybridEncoder.encode(levels.buffer, bitWidth: bitWidth, into: pageBody)
        let length = UInt32(pageBody.count - lengthOffset - 4)
        for byteIndex in 0..<4 {
            pageBody[lengthOffset + byteIndex] = UInt8(truncatingIfNeeded: length >> (8 * UInt32(byteIndex)))
        }
    }

    /// Compresses `body` and returns its header followed by the compressed bytes. Counts both
    /// in the chunk's sizes.
    private mutating func compressedPageBytes(
        body: UnsafeRawBufferPointer, header makeHeader: (Int32, Int32) -> PageHeader
    ) throws -> [UInt8] {
        var compressed = body
        if settings.compressor.codec != .uncompressed {
            try settings.compressor.compress(body, into: compressedPage)
            compressed = compressedPage.rawBytes
        }
        var page = try pageHeader(bodyCount: body.count, compressedCount: compressed.count, makeHeader)
        page.append(contentsOf: compressed)
        return page
    }

    /// Serializes the header of a page of `bodyCount` bytes that compress to `compressedCount`
    /// and counts the page in the chunk's sizes.
    private mutating func pageHeader(
        bodyCount: Int, compressedCount: Int, _ makeHeader: (Int32, Int32) -> PageHeader
    ) throws -> [UInt8] {
        let header = ThriftCompactWriter.serialize(makeHeader(try pageSize(bodyCount), try pageSize(compressedCount)))
        chunkUncompressedByteCount += Int64(header.count + bodyCount)
        chunkCompressedByteCount += Int64(header.count + compressedCount)
        return header
    }

    /// Page sizes and counts are i32 in the format.
    private func pageSize(_ count: Int) throws -> Int32 {
        guard let size = Int32(exactly: count) else {
            throw ParquetWriterError.invalidValue(
                column: column.dottedPath, reason: "a page of \(count) bytes or values exceeds Parquet's 2 GiB page limit")
        }
        return size
    }

    private mutating func resetPage() {
        repetitionLevels.removeAll()
        definitionLevels.removeAll()
        plainValues.removeAll()
        booleanBits.removeAll(keepingCapacity: true)
        dictionaryIndices.removeAll()
        pageLevelCount = 0
        pageRowCount = 0
        booleanCount = 0
        dictionaryPagePlainByteCount = 0
    }
}
