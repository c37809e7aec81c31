/// The `TimeUnit` union of the `TIMESTAMP` logical type.
enum TimeUnit: ThriftStruct {
    case milliseconds
    case microseconds

    func writeFields(to writer: inout ThriftCompactWriter) {
        switch self {
        case .milliseconds: writer.writeStruct(field: 1, EmptyThriftStruct())
        case .microseconds: writer.writeStruct(field: 2, EmptyThriftStruct())
        }
    }
}
