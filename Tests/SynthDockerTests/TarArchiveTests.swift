import Foundation
@testable import SynthDocker
import Testing

/// Tar writer/reader, without Docker.
@Suite struct TarArchiveTests {
    static let longDirectory = String(repeating: "deeply-nested-directory/", count: 6)  // 144 bytes

    func sampleArchive() -> TarArchive {
        var archive = TarArchive()
        archive.addFile(path: "README.md", text: "# hello\n")
        archive.addFile(path: "src/app/main.py", text: "print('hi')\n", mode: 0o755)
        archive.addFile(path: "src/app/empty.txt", content: [])
        archive.addFile(path: "data/binary.bin", content: (0..<5000).map { UInt8(truncatingIfNeeded: $0 * 31) })
        archive.addFile(path: "ünïcödé/файл.txt", text: "unicode ✓\n")
        // Fits ustar only through the prefix field (> 100 bytes, < 256).
        archive.addFile(path: Self.longDirectory + "ustar-prefix.txt", text: "prefix")
        // Needs a PAX header (> 256 bytes).
        archive.addFile(path: String(repeating: "p", count: 120) + "/" + String(repeating: "q", count: 150) + ".txt",
                        text: "pax")
        archive.addDirectory(path: "empty-dir", mode: 0o700)
        archive.addSymlink(path: "link-to-readme", target: "README.md")
        return archive
    }

    @Test func roundTripPreservesEntries() throws {
        let original = sampleArchive()
        let decoded = try TarArchive(decoding: original.encoded())
        for entry in original.entries {
            let read = try #require(decoded.entry(at: entry.path), "missing \(entry.path)")
            #expect(read.kind == entry.kind)
            #expect(read.content == entry.content)
            #expect(read.mode == entry.mode)
        }
    }

    @Test func parentDirectoriesAreImplicit() throws {
        let decoded = try TarArchive(decoding: sampleArchive().encoded())
        let directories = Set(decoded.entries.filter { $0.kind == .directory }.map(\.path))
        #expect(directories.isSuperset(of: ["src", "src/app", "data", "empty-dir"]))
        // Each directory precedes its first child.
        let order = decoded.entries.map(\.path)
        let appIndex = try #require(order.firstIndex(of: "src/app"))
        let mainIndex = try #require(order.firstIndex(of: "src/app/main.py"))
        #expect(appIndex < mainIndex)
    }

    @Test func outputIsBlockAlignedAndTerminated() throws {
        let bytes = try sampleArchive().encoded()
        #expect(bytes.count % 512 == 0)
        #expect(bytes.suffix(1024).allSatisfy { $0 == 0 })
    }

    @Test func unsafePathsAreRejected() {
        for path in ["../escape.txt", "a/../../b", "", "/"] {
            var archive = TarArchive()
            archive.addFile(path: path, text: "x")
            #expect(throws: TarArchiveError.invalidPath(path)) { try archive.encoded() }
        }
    }

    @Test func corruptHeaderIsDetected() throws {
        var bytes = try sampleArchive().encoded()
        bytes[10] ^= 0xFF
        #expect(throws: TarArchiveError.badChecksum(offset: 0)) { try TarArchive(decoding: bytes) }
        let truncated = Array(try sampleArchive().encoded().prefix(700))
        #expect(throws: TarArchiveError.self) { try TarArchive(decoding: truncated) }
    }

    /// Archives written by GNU tar in gnu (././@LongLink) and pax formats.
    @Test(arguments: ["gnu", "pax", "ustar"])
    func readsSystemTarOutput(format: String) throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("tar-read-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        let nested = format == "ustar" ? "short/dir" : String(repeating: "long-component-name/", count: 8) + "end"
        try FileManager.default.createDirectory(at: root.appendingPathComponent(nested), withIntermediateDirectories: true)
        try Data("alpha\n".utf8).write(to: root.appendingPathComponent(nested + "/file.txt"))
        try Data("top\n".utf8).write(to: root.appendingPathComponent("top.txt"))

        let archiveURL = root.appendingPathComponent("out.tar")
        try runTar(["--format=\(format)", "-cf", archiveURL.path, "-C", root.path, "top.txt", nested.split(separator: "/").first.map(String.init)!])
        let decoded = try TarArchive(decoding: [UInt8](Data(contentsOf: archiveURL)))
        #expect(decoded.entry(at: "top.txt")?.text == "top\n")
        #expect(decoded.entry(at: nested + "/file.txt")?.text == "alpha\n")
        #expect(decoded.entry(at: nested)?.kind == .directory)
    }

    /// What we write, GNU tar extracts identically.
    @Test func systemTarExtractsOurOutput() throws {
        let root = FileManager.default.temporaryDirectory.appendingPathComponent("tar-write-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: root) }
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        let archive = sampleArchive()
        let archiveURL = root.appendingPathComponent("in.tar")
        try Data(archive.encoded()).write(to: archiveURL)
        let target = root.appendingPathComponent("x")
        try FileManager.default.createDirectory(at: target, withIntermediateDirectories: true)
        try runTar(["-xf", archiveURL.path, "-C", target.path])
        for entry in archive.files {
            let data = try Data(contentsOf: target.appendingPathComponent(entry.path))
            #expect([UInt8](data) == entry.content, "\(entry.path)")
        }
        let link = try FileManager.default.destinationOfSymbolicLink(atPath: target.appendingPathComponent("link-to-readme").path)
        #expect(link == "README.md")
        let attributes = try FileManager.default.attributesOfItem(atPath: target.appendingPathComponent("src/app/main.py").path)
        #expect((attributes[.posixPermissions] as? Int) == 0o755)
    }

    private func runTar(_ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["tar"] + arguments
        try process.run()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "tar \(arguments) failed")
    }
}
