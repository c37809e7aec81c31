/// Header of a version 1 data page.
struct DataPageHeader: ThriftStruct {
    /// Number of level entries in the page, nulls included.
    var valueCount: Int32
    var encoding: Encoding
    var definitionLevelEncoding: Encoding = .rle
    var repetitionLevelEncoding: Encoding = .rle

    func writeFields(to writer: inout ThriftCompactWriter) {
        writer.writeI32(field: 1, valueCount)
        writer.writeEnum(field: 2, encoding)
        writer.writeEnum(field: 3, definitionLevelEncoding)
        writer.writeEnum(field: 4, repetitionLevelEncoding)
    }
}
