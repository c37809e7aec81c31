/// Value and level encodings this writer produces.
enum Encoding: Int32, ThriftEnum, Hashable, Comparable {
    case plain = 0
    case rle = 3
    case rleDictionary = 8

    static func < (lhs: Encoding, rhs: Encoding) -> Bool {
        lhs.rawValue < rhs.rawValue
    }
}
