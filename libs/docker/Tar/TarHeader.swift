/// One 512-byte ustar header block. Field offsets follow POSIX.1-1988 ustar.
struct TarHeader {
    static let blockSize = 512

    enum TypeFlag: UInt8 {
        case regular = 0x30          // '0'
        case hardLink = 0x31         // '1'
        case symlink = 0x32          // '2'
        case directory = 0x35        // '5'
        case paxExtended = 0x78      // 'x'
        case paxGlobal = 0x67        // 'g'
        case gnuLongName = 0x4C      // 'L'
        case gnuLongLink = 0x4B      // 'K'
    }

    var name: [UInt8] = []
    var prefix: [UInt8] = []
    var mode: UInt32 = 0o644
    var userID = 0
    var groupID = 0
    var size = 0
    var modificationTime = 0
    var typeFlag: UInt8 = TypeFlag.regular.rawValue
    var linkName: [UInt8] = []

    // MARK: Encoding

    func encoded() -> [UInt8] {
        var block = [UInt8](repeating: 0, count: Self.blockSize)
        Self.put(name, into: &block, at: 0, width: 100)
        Self.putOctal(Int(mode), into: &block, at: 100, width: 8)
        Self.putOctal(userID, into: &block, at: 108, width: 8)
        Self.putOctal(groupID, into: &block, at: 116, width: 8)
        Self.putOctal(size, into: &block, at: 124, width: 12)
        Self.putOctal(modificationTime, into: &block, at: 136, width: 12)
        block[156] = typeFlag
        Self.put(linkName, into: &block, at: 157, width: 100)
        Self.put(Array("ustar\0".utf8), into: &block, at: 257, width: 6)
        Self.put(Array("00".utf8), into: &block, at: 263, width: 2)
        Self.put(prefix, into: &block, at: 345, width: 155)
        // The checksum is computed with its own field read as eight spaces.
        for index in 148..<156 { block[index] = 0x20 }
        let checksum = block.reduce(0) { $0 + Int($1) }
        Self.putOctal(checksum, into: &block, at: 148, width: 7)
        block[155] = 0x20
        return block
    }

    private static func put(_ bytes: [UInt8], into block: inout [UInt8], at offset: Int, width: Int) {
        for (index, byte) in bytes.prefix(width).enumerated() {
            block[offset + index] = byte
        }
    }

    /// Zero-padded octal digits followed by NUL, filling `width` bytes.
    private static func putOctal(_ value: Int, into block: inout [UInt8], at offset: Int, width: Int) {
        let digits = Array(String(value, radix: 8).utf8)
        let padded = [UInt8](repeating: 0x30, count: max(0, width - 1 - digits.count)) + digits
        put(padded, into: &block, at: offset, width: width - 1)
        block[offset + width - 1] = 0
    }

    /// Largest size the 11-digit octal size field can hold (8 GiB - 1).
    static let maximumOctalSize = (1 << 33) - 1

    // MARK: Decoding

    static func isZeroBlock(_ block: ArraySlice<UInt8>) -> Bool {
        block.allSatisfy { $0 == 0 }
    }

    init() {}

    init(decoding block: ArraySlice<UInt8>, at offset: Int) throws(TarArchiveError) {
        let base = block.startIndex
        func field(_ start: Int, _ width: Int) -> ArraySlice<UInt8> {
            block[(base + start)..<(base + start + width)]
        }
        func number(_ start: Int, _ width: Int, _ name: String) throws(TarArchiveError) -> Int {
            guard let value = Self.parseNumber(field(start, width)) else {
                throw .invalidField(name: name, offset: offset)
            }
            return value
        }

        let recorded = try number(148, 8, "checksum")
        var unsignedSum = 0
        var signedSum = 0
        for (index, byte) in block.enumerated() {
            let counted: UInt8 = (148..<156).contains(index) ? 0x20 : byte
            unsignedSum += Int(counted)
            signedSum += Int(Int8(bitPattern: counted))
        }
        // Some historic writers summed signed chars; accept either.
        guard recorded == unsignedSum || recorded == signedSum else {
            throw .badChecksum(offset: offset)
        }

        name = Self.cString(field(0, 100))
        mode = UInt32(truncatingIfNeeded: try number(100, 8, "mode"))
        userID = (try? number(108, 8, "uid")) ?? 0
        groupID = (try? number(116, 8, "gid")) ?? 0
        size = try number(124, 12, "size")
        modificationTime = (try? number(136, 12, "mtime")) ?? 0
        typeFlag = block[base + 156]
        linkName = Self.cString(field(157, 100))
        // Only ustar-family headers have the prefix field; GNU's old format
        // ("ustar  \0") uses those bytes for other data.
        if field(257, 6).elementsEqual(Array("ustar\0".utf8)) {
            prefix = Self.cString(field(345, 155))
        }
    }

    var fullName: [UInt8] {
        prefix.isEmpty ? name : prefix + [0x2F] + name
    }

    static func cString(_ bytes: ArraySlice<UInt8>) -> [UInt8] {
        Array(bytes.prefix { $0 != 0 })
    }

    /// Octal text (space/NUL padded) or GNU base-256 (high bit of first byte).
    static func parseNumber(_ bytes: ArraySlice<UInt8>) -> Int? {
        guard let first = bytes.first else { return nil }
        if first & 0x80 != 0 {
            var value = Int(first & 0x3F)
            for byte in bytes.dropFirst() {
                guard value <= (Int.max >> 8) else { return nil }
                value = (value << 8) | Int(byte)
            }
            return value
        }
        let digits = bytes.drop { $0 == 0x20 || $0 == 0 }.prefix { $0 != 0x20 && $0 != 0 }
        if digits.isEmpty { return 0 }
        var value = 0
        for digit in digits {
            guard digit >= 0x30, digit <= 0x37 else { return nil }
            value = value * 8 + Int(digit - 0x30)
        }
        return value
    }
}
