/// The `LogicalType` union: the modern annotation that says how to interpret a physical type.
enum LogicalType: ThriftStruct {
    case string
    case list
    case timestamp(isAdjustedToUTC: Bool, unit: TimeUnit)

    func writeFields(to writer: inout ThriftCompactWriter) {
        switch self {
        case .string:
            writer.writeStruct(field: 1, EmptyThriftStruct())
        case .list:
            writer.writeStruct(field: 3, EmptyThriftStruct())
        case .timestamp(let isAdjustedToUTC, let unit):
            writer.writeStruct(field: 8, TimestampType(isAdjustedToUTC: isAdjustedToUTC, unit: unit))
        }
    }
}

/// `TimestampType`, the payload of `LogicalType.TIMESTAMP`.
private struct TimestampType: ThriftStruct {
    var isAdjustedToUTC: Bool
    var unit: TimeUnit

    func writeFields(to writer: inout ThriftCompactWriter) {
        writer.writeBool(field: 1, isAdjustedToUTC)
        writer.writeStruct(field: 2, unit)
    }
}
