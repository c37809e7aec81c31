import Foundation

/// An append-only file that remembers its write position, which the footer needs for page offsets.
final class FileSink {
    let path: String
    private let handle: FileHandle
    private(set) var position: Int64 = 0

    /// Creates (or truncates) the file at `path`.
    init(path: String) throws {
        self.path = path
        guard FileManager.default.createFile(atPath: path, contents: nil) else {
            throw ParquetWriterError.io(path: path, reason: "cannot create file")
        }
        do {
            handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
        } catch {
            throw ParquetWriterError.io(path: path, reason: "cannot open file: \(error)")
        }
    }

    func write(_ bytes: [UInt8]) throws {
        try bytes.withUnsafeBytes { try write($0) }
    }

    func write(_ bytes: UnsafeRawBufferPointer) throws {
        guard !bytes.isEmpty else { return }
        do {
            try handle.write(contentsOf: bytes)
        } catch {
            throw ParquetWriterError.io(path: path, reason: "write failed: \(error)")
        }
        position += Int64(bytes.count)
    }

    func close() throws {
        do {
            try handle.close()
        } catch {
            throw ParquetWriterError.io(path: path, reason: "close failed: \(error)")
        }
    }
}
