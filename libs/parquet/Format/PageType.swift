/// Kinds of pages written into column chunks.
enum PageType: Int32, ThriftEnum, Hashable {
    case dataPage = 0
    case dictionaryPage = 2
}
