/// One field's values for a batch of rows, laid out column-wise as Arrow lays out arrays: a
/// slot per entry, nulls marked in an optional validity array, lists as offsets into one
/// element column, structs as member columns of the same length.
///
/// Writing columns (`ParquetWriter.write(columns:)`) skips the per-value enum tree of
/// `ParquetValue` rows: the writer reads the arrays directly, which is how Arrow's writer is
/// fed too.
///
/// ```swift
/// // tags: list<string> for two rows: ["a", "b"] and []
/// let tags = ParquetColumn.list(offsets: [0, 2, 2], element: .strings(["a", "b"]))
/// ```
public struct ParquetColumn: Sendable {
    enum Storage: Sendable {
        case boolean([Bool])
        case int32([Int32])
        /// int64 and timestamp fields.
        case int64([Int64])
        case float([Float])
        case double([Double])
        /// string and binary fields: value `i` is `bytes[offsets[i]..<offsets[i + 1]]`.
        case byteArray(bytes: [UInt8], offsets: [Int32])
        /// Entry `i` holds elements `offsets[i]..<offsets[i + 1]` of `element`.
        indirect case list(offsets: [Int32], element: ParquetColumn)
        case `struct`(members: [ParquetColumn], count: Int)
    }

    let storage: Storage
    /// nil when every slot is present; otherwise `false` marks a null slot (whose value or
    /// offsets span is ignored, as in Arrow).
    let validity: [Bool]?

    init(storage: Storage, validity: [Bool]?) {
        self.storage = storage
        self.validity = validity
    }

    /// Number of slots (rows for a top-level column, elements for a list's element column).
    public var count: Int {
        switch storage {
        case .boolean(let values): values.count
        case .int32(let values): values.count
        case .int64(let values): values.count
        case .float(let values): values.count
        case .double(let values): values.count
        case .byteArray(_, let offsets), .list(let offsets, _): max(0, offsets.count - 1)
        case .struct(_, let count): count
        }
    }

    public static func booleans(_ values: [Bool], validity: [Bool]? = nil) -> ParquetColumn {
        ParquetColumn(storage: .boolean(values), validity: validity)
    }

    public static func int32s(_ values: [Int32], validity: [Bool]? = nil) -> ParquetColumn {
        ParquetColumn(storage: .int32(values), validity: validity)
    }

    /// For int64 fields, and for timestamp fields (in the field's unit since the Unix epoch).
    public static func int64s(_ values: [Int64], validity: [Bool]? = nil) -> ParquetColumn {
        ParquetColumn(storage: .int64(values), validity: validity)
    }

    public static func floats(_ values: [Float], validity: [Bool]? = nil) -> ParquetColumn {
        ParquetColumn(storage: .float(values), validity: validity)
    }

    public static func doubles(_ values: [Double], validity: [Bool]? = nil) -> ParquetColumn {
        ParquetColumn(storage: .double(values), validity: validity)
    }

    /// Variable-length values back to back in `bytes`; `offsets` has one more entry than there
    /// are slots. For binary fields, or for string fields when the bytes are known to be UTF-8
    /// (`ParquetByteArrayColumnBuilder` and `strings(_:)` build them from Swift strings).
    public static func byteArrays(bytes: [UInt8], offsets: [Int32], validity: [Bool]? = nil) -> ParquetColumn {
        ParquetColumn(storage: .byteArray(bytes: bytes, offsets: offsets), validity: validity)
    }

    public static func strings(_ values: [String?]) -> ParquetColumn {
        var builder = ParquetByteArrayColumnBuilder()
        for value in values {
            if let value { builder.append(value) } else { builder.appendNull() }
        }
        return builder.column
    }

    /// `offsets` has one more entry than there are slots; entry `i` is the elements
    /// `offsets[i]..<offsets[i + 1]` of `element`.
    public static func list(offsets: [Int32], element: ParquetColumn, validity: [Bool]? = nil) -> ParquetColumn {
        ParquetColumn(storage: .list(offsets: offsets, element: element), validity: validity)
    }

    /// `members` in the struct's field order, each with `count` slots.
    public static func `struct`(_ members: [ParquetColumn], count: Int, validity: [Bool]? = nil) -> ParquetColumn {
        ParquetColumn(storage: .struct(members: members, count: count), validity: validity)
    }
}
