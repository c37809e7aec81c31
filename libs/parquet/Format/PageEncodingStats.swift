/// How many pages of a column chunk use a given page type and encoding; lets readers see
/// whether a chunk is entirely dictionary-encoded without scanning its pages.
struct PageEncodingStats: ThriftStruct {
    var pageType: PageType
    var encoding: Encoding
    var count: Int32

    func writeFields(to writer: inout ThriftCompactWriter) {
        writer.writeEnum(field: 1, pageType)
        writer.writeEnum(field: 2, encoding)
        writer.writeI32(field: 3, count)
    }
}
