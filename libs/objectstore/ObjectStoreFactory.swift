import Foundation

/// Builds the store named by `SYNTH_OBJECT_STORE`: a directory path or `file://` URL. The
/// default is `<SYNTH_HOME>/objects`.
public enum ObjectStoreFactory {
    public static func make(home: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> any ObjectStore {
        let setting = environment["SYNTH_OBJECT_STORE"].flatMap { $0.isEmpty ? nil : $0 } ?? (home + "/objects")
        if setting.hasPrefix("s3://") {
            // Not built yet: an S3 store needs SigV4 request signing (see docs/DATASET.md).
            throw ObjectStoreError("SYNTH_OBJECT_STORE=\(setting): S3-compatible stores are not supported yet; use a directory")
        }
        let path = setting.hasPrefix("file://") ? String(setting.dropFirst("file://".count)) : setting
        return try LocalDirectoryObjectStore(root: path)
    }
}
