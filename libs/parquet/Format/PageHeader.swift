/// The Thrift header that precedes every page in a column chunk.
struct PageHeader: ThriftStruct {
    var type: PageType
    var uncompressedPageSize: Int32
    var compressedPageSize: Int32
    var dataPageHeader: DataPageHeader?
    var dictionaryPageHeader: DictionaryPageHeader?

    func writeFields(to writer: inout ThriftCompactWriter) {
        writer.writeEnum(field: 1, type)
        writer.writeI32(field: 2, uncompressedPageSize)
        writer.writeI32(field: 3, compressedPageSize)
        if let dataPageHeader { writer.writeStruct(field: 5, dataPageHeader) }
        if let dictionaryPageHeader { writer.writeStruct(field: 7, dictionaryPageHeader) }
    }
}
