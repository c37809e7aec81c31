/// The logical type of a column or nested field.
///
/// Each case maps to one Parquet physical type plus annotations; see docs/PARQUET.md.
public indirect enum ParquetType: Sendable, Hashable {
    case boolean
    case int32
    case int64
    case float
    case double
    /// UTF-8 text: BYTE_ARRAY annotated STRING (converted type UTF8).
    case string
    /// Raw bytes: BYTE_ARRAY without annotation.
    case binary
    /// Milliseconds since the Unix epoch, UTC: INT64 annotated TIMESTAMP(isAdjustedToUTC=true, MILLIS).
    case timestampMillis
    /// Microseconds since the Unix epoch, UTC: INT64 annotated TIMESTAMP(isAdjustedToUTC=true, MICROS).
    case timestampMicros
    /// A list written with the standard three-level layout; the field describes the elements
    /// (use `ParquetField.element(_:nullable:)` for the conventional element name).
    case list(ParquetField)
    /// A group of named fields; values are given in field order.
    case `struct`([ParquetField])

    /// A list whose elements are named `element`, as the Parquet specification recommends.
    public static func list(of elementType: ParquetType, elementNullable: Bool = true) -> ParquetType {
        .list(.element(elementType, nullable: elementNullable))
    }
}
