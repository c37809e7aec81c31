/// The legacy `ConvertedType` annotations, still written next to `LogicalType` so that
/// older readers understand strings, lists and timestamps too.
enum ConvertedType: Int32, ThriftEnum {
    case utf8 = 0
    case list = 3
    case timestampMillis = 9
    case timestampMicros = 10
}
