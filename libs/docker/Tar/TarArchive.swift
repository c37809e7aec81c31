/// An in-memory tar archive: used to copy a task's files into a container
/// (`DockerClient.putArchive`) and to read results back (`getArchive`).
///
/// Writing produces POSIX ustar, switching to PAX extended headers for paths
/// or link targets that do not fit ustar's fields; parent directories are
/// emitted implicitly. Reading accepts ustar, PAX and GNU long-name archives
/// (what Docker and GNU/BSD tar produce).
///
/// ```swift
/// var archive = TarArchive()
/// archive.addFile(path: "src/main.py", text: "print('hi')\n")
/// archive.addFile(path: "run.sh", text: "#!/bin/sh\n", mode: 0o755)
/// try await docker.putArchive(id, path: "/workspace", tar: archive.encoded())
/// ```
public struct TarArchive: Sendable, Equatable {
    public var entries: [Entry]

    public init(entries: [Entry] = []) {
        self.entries = entries
    }

    public mutating func addFile(path: String, content: [UInt8], mode: UInt32 = 0o644) {
        entries.append(Entry(path: path, kind: .file, content: content, mode: mode))
    }

    public mutating func addFile(path: String, text: String, mode: UInt32 = 0o644) {
        addFile(path: path, content: Array(text.utf8), mode: mode)
    }

    public mutating func addDirectory(path: String, mode: UInt32 = 0o755) {
        entries.append(Entry(path: path, kind: .directory, mode: mode))
    }

    public mutating func addSymlink(path: String, target: String) {
        entries.append(Entry(path: path, kind: .symlink(target: target), mode: 0o777))
    }

    /// The first entry whose normalised path equals `path` (leading "/" or
    /// "./" and trailing "/" ignored).
    public func entry(at path: String) -> Entry? {
        let wanted = TarPath.normalize(path)
        return entries.first { TarPath.normalize($0.path) == wanted }
    }

    /// Regular-file entries only.
    public var files: [Entry] {
        entries.filter { $0.kind == .file }
    }
}
