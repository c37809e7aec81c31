import Foundation

/// Builds the store named by `SYNTH_OBJECT_STORE`: a directory path or `file://` URL (the
/// default is `<SYNTH_HOME>/objects`), or `s3://<bucket>[/<prefix>]` for an S3-compatible
/// service configured by `SYNTH_S3_*` (see `S3Configuration.from`).
public enum ObjectStoreFactory {
    public static func make(home: String, environment: [String: String] = ProcessInfo.processInfo.environment) throws -> any ObjectStore {
        let setting = environment["SYNTH_OBJECT_STORE"].flatMap { $0.isEmpty ? nil : $0 } ?? (home + "/objects")
        if setting.hasPrefix("s3://") {
            return try S3ObjectStore(configuration: try S3Configuration.from(url: setting, environment: environment))
        }
        let path = setting.hasPrefix("file://") ? String(setting.dropFirst("file://".count)) : setting
        return try LocalDirectoryObjectStore(root: path)
    }
}
