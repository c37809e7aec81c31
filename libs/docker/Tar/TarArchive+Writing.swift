extension TarArchive {
    /// Serialises the archive. Parent directories missing from `entries` are
    /// written before their first child so any extractor can create them.
    public func encoded() throws(TarArchiveError) -> [UInt8] {
        var output: [UInt8] = []
        var writtenDirectories = Set<String>()
        for entry in entries {
            let path = try TarPath.validated(entry.path)
            for ancestor in TarPath.ancestors(of: path) where !writtenDirectories.contains(ancestor) {
                writtenDirectories.insert(ancestor)
                let directory = Entry(path: ancestor, kind: .directory, mode: 0o755,
                                      userID: entry.userID, groupID: entry.groupID,
                                      modificationTime: entry.modificationTime)
                try Self.append(directory, path: ancestor, to: &output)
            }
            if entry.kind == .directory { writtenDirectories.insert(path) }
            try Self.append(entry, path: path, to: &output)
        }
        // End of archive: two zero blocks.
        output.append(contentsOf: [UInt8](repeating: 0, count: 2 * TarHeader.blockSize))
        return output
    }

    private static func append(_ entry: Entry, path: String, to output: inout [UInt8]) throws(TarArchiveError) {
        var header = TarHeader()
        header.mode = entry.mode & 0o7777
        header.userID = entry.userID
        header.groupID = entry.groupID
        header.modificationTime = entry.modificationTime
        var paxRecords: [(String, String)] = []

        var linkTarget: String?
        switch entry.kind {
        case .file:
            header.typeFlag = TarHeader.TypeFlag.regular.rawValue
            header.size = entry.content.count
        case .directory:
            header.typeFlag = TarHeader.TypeFlag.directory.rawValue
        case .symlink(let target):
            header.typeFlag = TarHeader.TypeFlag.symlink.rawValue
            linkTarget = target
        case .hardLink(let target):
            header.typeFlag = TarHeader.TypeFlag.hardLink.rawValue
            linkTarget = try TarPath.validated(target)
        }
        if header.size > TarHeader.maximumOctalSize {
            paxRecords.append(("size", String(header.size)))
            header.size = 0
        }

        let name = Array((entry.kind == .directory ? path + "/" : path).utf8)
        if let (prefix, shortName) = splitForUstar(name) {
            header.prefix = prefix
            header.name = shortName
        } else {
            paxRecords.append(("path", String(decoding: name, as: UTF8.self)))
            header.name = Array(name.suffix(99))
        }
        if let linkTarget {
            let target = Array(linkTarget.utf8)
            if target.count > 100 { paxRecords.append(("linkpath", linkTarget)) }
            header.linkName = Array(target.prefix(100))
        }

        if !paxRecords.isEmpty {
            let payload = paxPayload(paxRecords)
            var paxHeader = TarHeader()
            paxHeader.typeFlag = TarHeader.TypeFlag.paxExtended.rawValue
            paxHeader.name = Array("PaxHeaders/\(String(decoding: header.name.suffix(80), as: UTF8.self))".utf8)
            paxHeader.size = payload.count
            output.append(contentsOf: paxHeader.encoded())
            appendPadded(payload, to: &output)
        }
        output.append(contentsOf: header.encoded())
        if case .file = entry.kind {
            appendPadded(entry.content, to: &output)
        }
    }

    /// Splits at a "/" so that name <= 100 and prefix <= 155 bytes, or nil.
    private static func splitForUstar(_ path: [UInt8]) -> (prefix: [UInt8], name: [UInt8])? {
        if path.count <= 100 { return ([], path) }
        guard path.count <= 256 else { return nil }
        // Prefer the longest prefix that fits, leaving the shortest name.
        let candidates = path.indices.filter { path[$0] == 0x2F && $0 <= 155 }.reversed()
        for slash in candidates {
            let name = Array(path[(slash + 1)...])
            if !name.isEmpty, name.count <= 100 {
                return (Array(path[..<slash]), name)
            }
        }
        return nil
    }

    /// PAX records are "<length> <key>=<value>\n", where length counts the
    /// whole record including its own digits.
    private static func paxPayload(_ records: [(String, String)]) -> [UInt8] {
        var payload: [UInt8] = []
        for (key, value) in records {
            let body = " \(key)=\(value)\n"
            let bodyLength = body.utf8.count
            var length = bodyLength + 1
            while String(length).utf8.count + bodyLength != length {
                length = String(length).utf8.count + bodyLength
            }
            payload.append(contentsOf: Array("\(length)\(body)".utf8))
        }
        return payload
    }

    private static func appendPadded(_ bytes: [UInt8], to output: inout [UInt8]) {
        output.append(contentsOf: bytes)
        let remainder = bytes.count % TarHeader.blockSize
        if remainder != 0 {
            output.append(contentsOf: [UInt8](repeating: 0, count: TarHeader.blockSize - remainder))
        }
    }
}
