import Foundation

/// Objects as files under a root directory. Each put writes a temporary file next to the
/// target and renames it into place, so a crash never leaves a partial object.
public struct LocalDirectoryObjectStore: ObjectStore {
    public let root: String
    public var location: String { "file://" + root }

    public init(root: String) throws {
        self.root = root.hasSuffix("/") ? String(root.dropLast()) : root
        try FileManager.default.createDirectory(atPath: self.root, withIntermediateDirectories: true)
    }

    public func path(of key: String) -> String { root + "/" + key }

    public func put(key: String, bytes: [UInt8], contentType: String) async throws {
        try Self.validate(key: key)
        let target = path(of: key)
        let temporary = try prepare(target)
        guard FileManager.default.createFile(atPath: temporary, contents: Data(bytes)) else {
            throw ObjectStoreError("cannot write \(temporary)")
        }
        try commit(temporary, to: target)
    }

    public func put(key: String, file source: String, contentType: String) async throws {
        try Self.validate(key: key)
        let target = path(of: key)
        let temporary = try prepare(target)
        try FileManager.default.copyItem(atPath: source, toPath: temporary)
        try commit(temporary, to: target)
    }

    public func get(key: String) async throws -> [UInt8]? {
        try Self.validate(key: key)
        guard let data = FileManager.default.contents(atPath: path(of: key)) else { return nil }
        return Array(data)
    }

    public func head(key: String) async throws -> ObjectInfo? {
        try Self.validate(key: key)
        guard let attributes = try? FileManager.default.attributesOfItem(atPath: path(of: key)),
              attributes[.type] as? FileAttributeType == .typeRegular else { return nil }
        // A directory store keeps no content type; the key's extension is all there is.
        return ObjectInfo(size: (attributes[.size] as? NSNumber)?.intValue ?? 0, contentType: nil)
    }

    public func list(prefix: String) async throws -> [String] {
        guard let enumerator = FileManager.default.enumerator(atPath: root) else { return [] }
        var keys: [String] = []
        while let relative = enumerator.nextObject() as? String {
            var isDirectory: ObjCBool = false
            guard relative.hasPrefix(prefix), !relative.contains(".tmp-"),
                  FileManager.default.fileExists(atPath: root + "/" + relative, isDirectory: &isDirectory), !isDirectory.boolValue
            else { continue }
            keys.append(relative)
        }
        return keys.sorted()
    }

    private func prepare(_ target: String) throws -> String {
        let directory = (target as NSString).deletingLastPathComponent
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        return directory + "/.tmp-" + UUID().uuidString
    }

    private func commit(_ temporary: String, to target: String) throws {
        // rename(2) replaces the target atomically; FileManager.moveItem refuses to overwrite.
        guard rename(temporary, target) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(atPath: temporary)
            throw ObjectStoreError("cannot move \(temporary) to \(target): \(reason)")
        }
    }
}
