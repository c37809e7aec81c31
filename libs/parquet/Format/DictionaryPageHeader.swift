/// Header of a dictionary page; its entries are PLAIN-encoded.
struct DictionaryPageHeader: ThriftStruct {
    var valueCount: Int32
    var encoding: Encoding = .plain

    func writeFields(to writer: inout ThriftCompactWriter) {
        writer.writeI32(field: 1, valueCount)
        writer.writeEnum(field: 2, encoding)
    }
}
