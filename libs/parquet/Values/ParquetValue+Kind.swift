extension ParquetValue {
    /// What kind of value this is, for error messages ("got int64, expected string").
    var kindDescription: String {
        switch self {
        case .null: "null"
        case .bool: "bool"
        case .int32: "int32"
        case .int64: "int64"
        case .float: "float"
        case .double: "double"
        case .string: "string"
        case .binary: "binary"
        case .timestampMillis: "timestampMillis"
        case .timestampMicros: "timestampMicros"
        case .list(let items): "list of \(items.count) values"
        case .struct(let members): "struct of \(members.count) values"
        }
    }
}
