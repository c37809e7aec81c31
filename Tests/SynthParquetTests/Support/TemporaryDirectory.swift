import Foundation

/// A fresh directory under the system temp dir, removed when the test is done with it.
struct TemporaryDirectory: ~Copyable {
    let url: URL

    init() throws {
        url = FileManager.default.temporaryDirectory.appendingPathComponent("synth-parquet-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    }

    func path(_ fileName: String) -> String {
        url.appendingPathComponent(fileName).path
    }

    deinit {
        try? FileManager.default.removeItem(at: url)
    }
}
