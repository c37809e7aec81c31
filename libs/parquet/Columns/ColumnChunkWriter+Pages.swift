extension ColumnChunkWriter {
    /// Encodes the open page (levels, then values) and appends it to the chunk.
    mutating func finishPage() throws {
        guard pageLevelCount > 0 else { return }
        let (encoding, values) = encodePageValues()

        var body: [UInt8] = []
        body.reserveCapacity(values.count + (repetitionLevels.count + definitionLevels.count) / 2 + 8)
        if column.maxRepetitionLevel > 0 {
            appendLevels(repetitionLevels, bitWidth: repetitionLevelBitWidth, into: &body)
        }
        if column.maxDefinitionLevel > 0 {
            appendLevels(definitionLevels, bitWidth: definitionLevelBitWidth, into: &body)
        }
        body.append(contentsOf: values)

        let dataPageHeader = DataPageHeader(valueCount: try pageSize(pageLevelCount), encoding: encoding)
        let page = try compressPage(body: body) { uncompressed, compressed in
            PageHeader(type: .dataPage, uncompressedPageSize: uncompressed, compressedPageSize: compressed,
                       dataPageHeader: dataPageHeader)
        }
        encodedPages.append(page.header)
        encodedPages.append(page.compressed)
        encodedPageByteCount += page.header.count + page.compressed.count
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
        if let dictionary, dictionaryPageCount > 0 {
            let dictionaryPageHeader = DictionaryPageHeader(valueCount: try pageSize(dictionary.count))
            let page = try compressPage(body: dictionary.plainEncoded) { uncompressed, compressed in
                PageHeader(type: .dictionaryPage, uncompressedPageSize: uncompressed, compressedPageSize: compressed,
                           dictionaryPageHeader: dictionaryPageHeader)
            }
            dictionaryPage = page.header + page.compressed
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

    /// Resets the chunk state; byte-array columns start every chunk trying a fresh dictionary.
    mutating func startChunk() {
        let usesDictionary = settings.dictionaryEncoding && column.leafType.physicalType == .byteArray
        dictionary = usesDictionary ? ByteArrayDictionary() : nil
        isDictionaryEncoding = usesDictionary
        dictionaryIsFull = false
        isDictionaryWorthChecked = false
        encodedPages = []
        encodedPageByteCount = 0
        dataPageCount = 0
        dataPageCountByEncoding = [:]
        chunkValueCount = 0
        chunkUncompressedByteCount = 0
        chunkCompressedByteCount = 0
        statistics = StatisticsAccumulator()
    }

    // MARK: - Page encoding

    private mutating func encodePageValues() -> (Encoding, [UInt8]) {
        if column.leafType.physicalType == .boolean {
            return (.plain, booleanBits)
        }
        guard isDictionaryEncoding, let dictionary else {
            return (.plain, plainValues)
        }
        // Dictionary data pages: one byte of index bit width, then RLE/bit-packed indices.
        var encoded: [UInt8] = [UInt8(dictionary.indexBitWidth)]
        RLEHybridEncoder.encode(dictionaryIndices, bitWidth: dictionary.indexBitWidth, into: &encoded)
        if !isDictionaryWorthChecked && !dictionaryIndices.isEmpty {
            isDictionaryWorthChecked = true
            if dictionary.plainByteCount + encoded.count >= dictionaryPagePlainByteCount {
                // Mostly distinct values: the dictionary costs more than it saves, so this page is
                // re-encoded PLAIN and the chunk continues without a dictionary.
                var plain: [UInt8] = []
                plain.reserveCapacity(dictionaryPagePlainByteCount)
                for index in dictionaryIndices {
                    dictionary.appendPlain(index: Int(index), to: &plain)
                }
                self.dictionary = nil
                isDictionaryEncoding = false
                dictionaryIsFull = false
                return (.plain, plain)
            }
        }
        return (.rleDictionary, encoded)
    }

    /// Levels in a v1 data page: a 4-byte little-endian length, then the RLE/bit-packed levels.
    private func appendLevels(_ levels: [UInt16], bitWidth: Int, into body: inout [UInt8]) {
        let lengthOffset = body.count
        body.appendLittleEndian(UInt32(0))
        RLEHybridEncoder.encode(levels, bitWidth: bitWidth, into: &body)
        body.setLittleEndian(UInt32(body.count - lengthOffset - 4), at: lengthOffset)
    }

    /// Compresses `body` and serializes its header; the page is the header followed by the
    /// compressed bytes. Counts both in the chunk's sizes.
    private mutating func compressPage(
        body: [UInt8], header makeHeader: (Int32, Int32) -> PageHeader
    ) throws -> (header: [UInt8], compressed: [UInt8]) {
        let compressed = try settings.compressor.compress(body)
        let header = ThriftCompactWriter.serialize(makeHeader(try pageSize(body.count), try pageSize(compressed.count)))
        chunkUncompressedByteCount += Int64(header.count + body.count)
        chunkCompressedByteCount += Int64(header.count + compressed.count)
        return (header, compressed)
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
        repetitionLevels.removeAll(keepingCapacity: true)
        definitionLevels.removeAll(keepingCapacity: true)
        plainValues.removeAll(keepingCapacity: true)
        booleanBits.removeAll(keepingCapacity: true)
        dictionaryIndices.removeAll(keepingCapacity: true)
        pageLevelCount = 0
        pageRowCount = 0
        booleanCount = 0
        dictionaryPagePlainByteCount = 0
    }
}
