/// Parquet's `Type` enum: how values are stored on disk.
enum PhysicalType: Int32, ThriftEnum {
    case boolean = 0
    case int32 = 1
    case int64 = 2
    case float = 4
    case double = 5
    case byteArray = 6
}
