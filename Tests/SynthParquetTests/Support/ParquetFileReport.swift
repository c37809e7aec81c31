/// What pyarrow reports about a file (see `PythonReaderScript.report`).
struct ParquetFileReport: Decodable {
    struct ArrowField: Decodable {
        var name: String
        var type: String
        var nullable: Bool
    }

    struct Leaf: Decodable {
        var path: String
        var physicalType: String
        var logicalType: String
        var convertedType: String
        var maxDefinitionLevel: Int
        var maxRepetitionLevel: Int
    }

    struct RowGroup: Decodable {
        var numRows: Int
        var totalByteSize: Int
        var columns: [Column]
    }

    struct Column: Decodable {
        var path: String
        var compression: String
        var encodings: [String]
        var hasDictionaryPage: Bool
        var numValues: Int
        var statistics: Statistics?
        var pages: [Page]

        var dataPages: [Page] { pages.filter { $0.type == "DATA_PAGE" } }
    }

    struct Statistics: Decodable {
        var hasMinMax: Bool
        var nullCount: Int?
        var min: ReadBackValue?
        var max: ReadBackValue?
    }

    /// A page header found by walking the column chunk independently of pyarrow.
    struct Page: Decodable {
        var type: String
        var encoding: String
        var numValues: Int
        var compressedSize: Int
        var uncompressedSize: Int
    }

    var numRows: Int
    var createdBy: String
    var formatVersion: String
    var keyValueMetadata: [String: String]
    var arrowSchema: [ArrowField]
    var leaves: [Leaf]
    var rowGroups: [RowGroup]
    var rows: [[ReadBackValue]]?

    func leaf(_ path: String) -> Leaf? {
        leaves.first { $0.path == path }
    }

    func arrowField(_ name: String) -> ArrowField? {
        arrowSchema.first { $0.name == name }
    }

    /// The chunks of one column across all row groups.
    func chunks(_ path: String) -> [Column] {
        rowGroups.compactMap { group in group.columns.first { $0.path == path } }
    }
}

/// Row count, a sum and sampled rows of a large file (see `PythonReaderScript.aggregate`).
struct AggregateReport: Decodable {
    var numRows: Int
    var numRowGroups: Int
    var sum: String
    var nullCounts: [String: Int]
    var rows: [String: [ReadBackValue]]
}

/// Rows as DuckDB returns them.
struct DuckDBReport: Decodable {
    var columns: [String]
    var types: [String]
    var rows: [[ReadBackValue]]
}
