/// Where large artifacts and published datasets go: a local directory by default, an
/// S3-compatible bucket in production. Keys are `/`-separated relative paths.
public protocol ObjectStore: Sendable {
    /// A URL-like name of the store, recorded next to the keys it holds (for example
    /// `file:///var/synth/objects`).
    var location: String { get }
    /// Writes the whole object atomically: a reader sees the old object or the new one, never half.
    func put(key: String, bytes: [UInt8], contentType: String) async throws
    /// Copies a local file into the store (datasets are written to disk first).
    func put(key: String, file path: String, contentType: String) async throws
    func get(key: String) async throws -> [UInt8]?
    /// Size and type of the object, or nil when there is none, without reading it.
    func head(key: String) async throws -> ObjectInfo?
    /// Keys under `prefix`, sorted.
    func list(prefix: String) async throws -> [String]
}

public struct ObjectStoreError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public init(_ description: String) { self.description = description }
}

extension ObjectStore {
    /// Rejects keys that could escape the store's root.
    static func validate(key: String) throws {
        let parts = key.split(separator: "/", omittingEmptySubsequences: false)
        guard !key.isEmpty, !key.hasPrefix("/"), !parts.contains(where: { $0.isEmpty || $0 == "." || $0 == ".." }) else {
            throw ObjectStoreError("invalid object key '\(key)'")
        }
    }
}
