/// An application-defined key/value pair stored in the footer.
struct KeyValue: ThriftStruct {
    var key: String
    var value: String

    func writeFields(to writer: inout ThriftCompactWriter) {
        writer.writeString(field: 1, key)
        writer.writeString(field: 2, value)
    }
}
