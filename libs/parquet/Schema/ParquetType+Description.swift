extension ParquetType: CustomStringConvertible {
    /// A compact, Arrow-like rendering such as `list<struct<role: string, content: string?>>`,
    /// used in error messages.
    public var description: String {
        switch self {
        case .boolean: "boolean"
        case .int32: "int32"
        case .int64: "int64"
        case .float: "float"
        case .double: "double"
        case .string: "string"
        case .binary: "binary"
        case .timestampMillis: "timestamp[ms, UTC]"
        case .timestampMicros: "timestamp[us, UTC]"
        case .list(let element): "list<\(element.type)\(element.nullable ? "?" : "")>"
        case .struct(let fields):
            "struct<" + fields.map { "\($0.name): \($0.type)\($0.nullable ? "?" : "")" }.joined(separator: ", ") + ">"
        }
    }
}
