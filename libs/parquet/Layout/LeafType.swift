/// The primitive (non-nested) subset of `ParquetType`: what a leaf column stores.
enum LeafType: Sendable, Hashable {
    case boolean, int32, int64, float, double, string, binary, timestampMillis, timestampMicros

    /// Returns nil for lists and structs, which are groups rather than leaves.
    init?(_ type: ParquetType) {
        switch type {
        case .boolean: self = .boolean
        case .int32: self = .int32
        case .int64: self = .int64
        case .float: self = .float
        case .double: self = .double
        case .string: self = .string
        case .binary: self = .binary
        case .timestampMillis: self = .timestampMillis
        case .timestampMicros: self = .timestampMicros
        case .list, .struct: return nil
        }
    }

    var physicalType: PhysicalType {
        switch self {
        case .boolean: .boolean
        case .int32: .int32
        case .int64, .timestampMillis, .timestampMicros: .int64
        case .float: .float
        case .double: .double
        case .string, .binary: .byteArray
        }
    }

    var convertedType: ConvertedType? {
        switch self {
        case .string: .utf8
        case .timestampMillis: .timestampMillis
        case .timestampMicros: .timestampMicros
        default: nil
        }
    }

    var logicalType: LogicalType? {
        switch self {
        case .string: .string
        case .timestampMillis: .timestamp(isAdjustedToUTC: true, unit: .milliseconds)
        case .timestampMicros: .timestamp(isAdjustedToUTC: true, unit: .microseconds)
        default: nil
        }
    }

    /// Whether `value` (known not to be `.null`) is the case this column stores.
    func accepts(_ value: ParquetValue) -> Bool {
        switch (self, value) {
        case (.boolean, .bool), (.int32, .int32), (.int64, .int64), (.float, .float), (.double, .double),
             (.string, .string), (.binary, .binary), (.timestampMillis, .timestampMillis),
             (.timestampMicros, .timestampMicros):
            true
        default:
            false
        }
    }
}
