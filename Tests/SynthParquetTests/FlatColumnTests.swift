import Testing
import SynthParquet

/// Every primitive type, nullable and required, with edge values, read back by pyarrow.
@Suite struct FlatColumnTests {
    static let schema = ParquetSchema(fields: [
        ParquetField(name: "flag", type: .boolean),
        ParquetField(name: "small", type: .int32),
        ParquetField(name: "big", type: .int64, nullable: false),
        ParquetField(name: "ratio", type: .float),
        ParquetField(name: "measure", type: .double),
        ParquetField(name: "text", type: .string),
        ParquetField(name: "blob", type: .binary),
        ParquetField(name: "at_ms", type: .timestampMillis),
        ParquetField(name: "at_us", type: .timestampMicros, nullable: false),
        ParquetField(name: "required_flag", type: .boolean, nullable: false),
    ])

    static let rows: [[ParquetValue]] = (0..<50).map { i in
        let int32s: [Int32] = [.min, -1, 0, 1, .max, 42, -123_456]
        let int64s: [Int64] = [.min, .max, 0, -1, 9_007_199_254_740_993, 1 << 40, -7]
        let floats: [Float] = [1.5, -0.0, .infinity, -.infinity, .nan, .leastNonzeroMagnitude, .greatestFiniteMagnitude, 3.14159]
        let doubles: [Double] = [0.1, -0.0, 0.0, .pi, -1e308, .nan, .leastNonzeroMagnitude, 1e-300, 123_456.789]
        let texts = ["", "plain ascii", "héllo wörld", "日本語テキスト", "emoji 🎉👩‍👩‍👧", "nul\u{0}inside",
                     "line\nbreak\ttab \"quotes\" \\", "Ω≈ç√∫", "zzz"]
        let blobs: [[UInt8]] = [[], [0], [0, 255, 128, 1], Array(0...255)]
        return [
            i % 5 == 0 ? .null : .bool(i % 3 == 0),
            i % 7 == 3 ? .null : .int32(int32s[i % int32s.count]),
            .int64(int64s[i % int64s.count]),
            i % 6 == 5 ? .null : .float(floats[i % floats.count]),
            i % 4 == 2 ? .null : .double(doubles[i % doubles.count]),
            i % 9 == 4 ? .null : .string(texts[i % texts.count]),
            i % 5 == 1 ? .null : .binary(blobs[i % blobs.count]),
            i % 8 == 7 ? .null : .timestampMillis(1_700_000_000_000 + Int64(i) * 86_400_123 - (i % 3 == 0 ? 2_000_000_000_000 : 0)),
            .timestampMicros(1_600_000_000_000_000 + Int64(i) * 1_234_567),
            .bool(i % 2 == 0),
        ]
    }

    static let options = ParquetWriterOptions(
        rowGroupRowLimit: 20, pageRowLimit: 7, createdBy: "synth-parquet tests", keyValueMetadata: ["dataset": "flat"])

    @Test func valuesTypesAndMetadataRoundTrip() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("flat.parquet")
        let writer = try ParquetWriter(path: path, schema: Self.schema, options: Self.options)
        try writer.write(rows: Self.rows)
        writer.setMetadata("50", forKey: "row_count_hint")
        let summary = try writer.close()

        let report = try PythonReader.report(path)
        expectRows(report.rows, equal: Self.schema.expectedReadBack(Self.rows), reader: "pyarrow")
        #expect(report.numRows == 50)
        #expect(report.rowGroups.map(\.numRows) == [20, 20, 10])
        #expect(report.createdBy == "synth-parquet tests")
        #expect(report.keyValueMetadata == ["dataset": "flat", "row_count_hint": "50"])
        #expect(summary.rowCount == 50 && summary.rowGroupCount == 3)

        let arrowTypes = Dictionary(uniqueKeysWithValues: report.arrowSchema.map { ($0.name, $0.type) })
        #expect(arrowTypes == [
            "flag": "bool", "small": "int32", "big": "int64", "ratio": "float", "measure": "double",
            "text": "string", "blob": "binary", "at_ms": "timestamp[ms, tz=UTC]", "at_us": "timestamp[us, tz=UTC]",
            "required_flag": "bool",
        ])
        #expect(report.arrowSchema.filter { !$0.nullable }.map(\.name) == ["big", "at_us", "required_flag"])
        #expect(report.leaf("text")?.convertedType == "UTF8")
        #expect(report.leaf("text")?.logicalType == "String")
        #expect(report.leaf("at_ms")?.convertedType == "TIMESTAMP_MILLIS")
        #expect(report.leaf("at_ms")?.logicalType.hasPrefix("Timestamp(isAdjustedToUTC=true, timeUnit=milliseconds") == true)
        #expect(report.leaf("at_us")?.logicalType.hasPrefix("Timestamp(isAdjustedToUTC=true, timeUnit=microseconds") == true)
        #expect(report.leaf("blob")?.logicalType == "None")
        #expect(report.leaf("big")?.maxDefinitionLevel == 0)
        #expect(report.leaf("small")?.maxDefinitionLevel == 1)
    }

    @Test func pagesAndStatisticsPerRowGroup() throws {
        let directory = try TemporaryDirectory()
        let path = directory.path("flat-stats.parquet")
        let writer = try ParquetWriter(path: path, schema: Self.schema, options: Self.options)
        try writer.write(rows: Self.rows)
        let summary = try writer.close()

        let report = try PythonReader.metadata(path)
        var walkedDataPages = 0
        for (groupIndex, group) in report.rowGroups.enumerated() {
            let groupRows = Array(Self.rows[(groupIndex * 20)..<min(Self.rows.count, (groupIndex + 1) * 20)])
            for (columnIndex, field) in Self.schema.fields.enumerated() {
                let column = try #require(group.columns.first { $0.path == field.name })
                let values = groupRows.map { $0[columnIndex] }
                // Pages cut every 7 rows: 20 rows make 3 pages, 10 rows make 2.
                #expect(column.dataPages.count == (groupRows.count + 6) / 7, "\(field.name) pages")
                #expect(column.dataPages.map(\.numValues).reduce(0, +) == groupRows.count)
                walkedDataPages += column.dataPages.count

                let expected = ExpectedStatistics(values, type: field.type)
                let statistics = try #require(column.statistics, "\(field.name) has statistics")
                #expect(statistics.nullCount == expected.nullCount, "\(field.name) null count, group \(groupIndex)")
                #expect(statistics.hasMinMax == (expected.min != nil), "\(field.name) has min/max")
                #expect(statistics.min == expected.min, "\(field.name) min, group \(groupIndex)")
                #expect(statistics.max == expected.max, "\(field.name) max, group \(groupIndex)")
            }
        }
        #expect(summary.dataPageCount == walkedDataPages)
    }
}

/// Statistics as the specification defines them, computed from the written values.
struct ExpectedStatistics {
    var nullCount = 0
    var min: ReadBackValue?
    var max: ReadBackValue?

    init(_ values: [ParquetValue], type: ParquetType) {
        var present: [ParquetValue] = []
        for value in values {
            if case .null = value { nullCount += 1 } else { present.append(value) }
        }
        func bounds<Key>(_ key: (ParquetValue) -> Key?, _ less: (Key, Key) -> Bool) -> (Key, Key)? {
            let keys = present.compactMap(key)
            guard var low = keys.first, var high = keys.first else { return nil }
            for key in keys {
                if less(key, low) { low = key }
                if less(high, key) { high = key }
            }
            return (low, high)
        }
        switch type {
        case .float:
            // NaN is excluded; a zero minimum is reported as -0.0 and a zero maximum as +0.0.
            if let (low, high) = bounds({ if case .float(let f) = $0, !f.isNaN { f } else { nil } }, <) {
                min = ReadBackValue(.float(low == 0 ? -0.0 : low), type: type)
                max = ReadBackValue(.float(high == 0 ? 0.0 : high), type: type)
            }
        case .double:
            if let (low, high) = bounds({ if case .double(let d) = $0, !d.isNaN { d } else { nil } }, <) {
                min = ReadBackValue(.double(low == 0 ? -0.0 : low), type: type)
                max = ReadBackValue(.double(high == 0 ? 0.0 : high), type: type)
            }
        case .string, .binary:
            let utf8OrBytes: (ParquetValue) -> [UInt8]? = {
                switch $0 {
                case .string(let text): Array(text.utf8)
                case .binary(let bytes): bytes
                default: nil
                }
            }
            if let (low, high) = bounds(utf8OrBytes, { $0.lexicographicallyPrecedes($1) }) {
                let wrap: ([UInt8]) -> ParquetValue = { type == .string ? .string(String(decoding: $0, as: UTF8.self)) : .binary($0) }
                min = ReadBackValue(wrap(low), type: type)
                max = ReadBackValue(wrap(high), type: type)
            }
        default:
            if let (low, high) = bounds({ ExpectedStatistics.orderKey($0) }, { $0 < $1 }) {
                min = ReadBackValue(present.first { Self.orderKey($0) == low }!, type: type)
                max = ReadBackValue(present.first { Self.orderKey($0) == high }!, type: type)
            }
        }
    }

    /// Booleans (false < true), integers and timestamps all order as signed integers.
    private static func orderKey(_ value: ParquetValue) -> Int64? {
        switch value {
        case .bool(let flag): flag ? 1 : 0
        case .int32(let number): Int64(number)
        case .int64(let number), .timestampMillis(let number), .timestampMicros(let number): number
        default: nil
        }
    }
}
