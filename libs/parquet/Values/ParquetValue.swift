/// One value of a row, matching a `ParquetType`.
///
/// A row is `[ParquetValue]` in schema field order; structs carry their members in field order too.
public enum ParquetValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case int32(Int32)
    case int64(Int64)
    case float(Float)
    case double(Double)
    case string(String)
    case binary([UInt8])
    /// Milliseconds since the Unix epoch (UTC), for `.timestampMillis` fields.
    case timestampMillis(Int64)
    /// Microseconds since the Unix epoch (UTC), for `.timestampMicros` fields.
    case timestampMicros(Int64)
    case list([ParquetValue])
    case `struct`([ParquetValue])
}
