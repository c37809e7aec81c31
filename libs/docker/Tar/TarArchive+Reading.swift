extension TarArchive {
    /// Parses a tar stream. Long names from PAX ('x') and GNU ('L'/'K')
    /// headers are applied to the entry that follows them; device nodes,
    /// FIFOs and global PAX headers are skipped.
    public init(decoding bytes: [UInt8]) throws(TarArchiveError) {
        var entries: [Entry] = []
        var offset = 0
        var pendingPath: String?
        var pendingLinkPath: String?
        var pendingSize: Int?
        let blockSize = TarHeader.blockSize

        while offset + blockSize <= bytes.count {
            let block = bytes[offset..<(offset + blockSize)]
            if TarHeader.isZeroBlock(block) { break }
            let header = try TarHeader(decoding: block, at: offset)
            let size = pendingSize ?? header.size
            let dataStart = offset + blockSize
            let paddedEnd = dataStart + (size + blockSize - 1) / blockSize * blockSize
            // Writers always pad data to whole blocks; a short final block
            // means the archive was cut off.
            guard size >= 0, paddedEnd <= bytes.count else {
                throw .truncated(offset: offset)
            }
            let data = Array(bytes[dataStart..<(dataStart + size)])
            offset = paddedEnd

            switch TarHeader.TypeFlag(rawValue: header.typeFlag) {
            case .paxExtended:
                let records = Self.parsePaxRecords(data)
                pendingPath = records["path"] ?? pendingPath
                pendingLinkPath = records["linkpath"] ?? pendingLinkPath
                pendingSize = records["size"].flatMap { Int($0) } ?? pendingSize
                continue
            case .gnuLongName:
                pendingPath = String(decoding: TarHeader.cString(data[...]), as: UTF8.self)
                continue
            case .gnuLongLink:
                pendingLinkPath = String(decoding: TarHeader.cString(data[...]), as: UTF8.self)
                continue
            case .paxGlobal:
                continue
            default:
                break
            }

            let rawPath = pendingPath ?? String(decoding: header.fullName, as: UTF8.self)
            let linkTarget = pendingLinkPath ?? String(decoding: header.linkName, as: UTF8.self)
            pendingPath = nil
            pendingLinkPath = nil
            pendingSize = nil

            let kind: Entry.Kind
            switch header.typeFlag {
            case TarHeader.TypeFlag.regular.rawValue, 0, 0x37:  // '0', NUL (old), '7' contiguous
                kind = rawPath.hasSuffix("/") ? .directory : .file
            case TarHeader.TypeFlag.directory.rawValue:
                kind = .directory
            case TarHeader.TypeFlag.symlink.rawValue:
                kind = .symlink(target: linkTarget)
            case TarHeader.TypeFlag.hardLink.rawValue:
                kind = .hardLink(target: TarPath.normalize(linkTarget))
            default:
                continue  // devices, FIFOs, vendor extensions
            }
            entries.append(Entry(
                path: TarPath.normalize(rawPath),
                kind: kind,
                content: kind == .file ? data : [],
                mode: header.mode & 0o7777,
                userID: header.userID,
                groupID: header.groupID,
                modificationTime: header.modificationTime
            ))
        }
        self.init(entries: entries)
    }

    /// "<len> key=value\n" records; malformed trailing data is ignored.
    private static func parsePaxRecords(_ data: [UInt8]) -> [String: String] {
        var records: [String: String] = [:]
        var index = 0
        while index < data.count {
            guard let space = data[index...].firstIndex(of: 0x20),
                  let length = Int(String(decoding: data[index..<space], as: UTF8.self)),
                  length > 0, index + length <= data.count else { break }
            let record = data[(space + 1)..<(index + length - 1)]  // drop trailing "\n"
            if let equals = record.firstIndex(of: 0x3D) {
                let key = String(decoding: record[..<equals], as: UTF8.self)
                let value = String(decoding: record[(equals + 1)...], as: UTF8.self)
                records[key] = value
            }
            index += length
        }
        return records
    }
}
