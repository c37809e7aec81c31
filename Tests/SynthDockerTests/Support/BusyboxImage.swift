import Foundation
import SynthDocker

/// A minimal image built at test time from the host's static busybox and
/// imported through `DockerClient.importImage` — no registry involved.
enum BusyboxImage {
    static let repository = "synth-test-busybox"
    static let applets = [
        "sh", "cat", "echo", "sleep", "ls", "timeout", "nc", "mkdir", "head", "tail", "yes", "seq", "dd", "df",
        "wc", "env", "pwd", "id", "touch", "chown", "rm", "printf", "true", "false", "kill", "ps", "grep",
    ]

    /// The rootfs is deterministic (no timestamps), so its hash names the
    /// image: a changed applet list or host busybox gets a fresh tag, and an
    /// unchanged one is reused across runs without piling up old images.
    private static let rootfs: Result<[UInt8], any Error> = Result { try rootfsTar() }

    static let tag: String = {
        guard case .success(let bytes) = rootfs else { return "unavailable" }
        var hash: UInt64 = 0xCBF2_9CE4_8422_2325  // FNV-1a
        for byte in bytes {
            hash = (hash ^ UInt64(byte)) &* 0x0000_0100_0000_01B3
        }
        return "rootfs-" + String(hash, radix: 16)
    }()

    static var reference: String { "\(repository):\(tag)" }

    /// Imports the image once per test process unless already present.
    static func ensure() async throws {
        try await imported.value
    }

    private static let imported = Task<Void, any Error> {
        let tar = try rootfs.get()
        let docker = try DockerClient()
        if try await docker.imageExists(reference) { return }
        try await docker.importImage(tar: tar, repository: repository, tag: tag)
    }

    /// Root filesystem: /bin/busybox, applet symlinks, /etc/passwd and the
    /// usual mount-point directories.
    static func rootfsTar() throws -> [UInt8] {
        let busybox = try staticBusybox()
        var archive = TarArchive()
        for directory in ["tmp", "proc", "sys", "dev", "etc"] {
            archive.addDirectory(path: directory, mode: directory == "tmp" ? 0o1777 : 0o755)
        }
        archive.addFile(path: "bin/busybox", content: busybox, mode: 0o755)
        for applet in applets {
            archive.addSymlink(path: "bin/\(applet)", target: "busybox")
        }
        archive.addFile(path: "etc/passwd", text: "root:x:0:0:root:/root:/bin/sh\nnobody:x:65534:65534:nobody:/:/bin/sh\n")
        archive.addFile(path: "etc/group", text: "root:x:0:\nnogroup:x:65534:\n")
        return try archive.encoded()
    }

    enum FixtureError: Error, CustomStringConvertible {
        case busyboxMissing
        case busyboxNotStatic(String)

        var description: String {
            switch self {
            case .busyboxMissing:
                return "no busybox binary found; install it with `apt-get install -y busybox-static`"
            case .busyboxNotStatic(let path):
                return "\(path) is dynamically linked; install `busybox-static` so it runs in an empty image"
            }
        }
    }

    private static func staticBusybox() throws -> [UInt8] {
        guard let path = ["/bin/busybox", "/usr/bin/busybox"].first(where: FileManager.default.fileExists),
              let data = FileManager.default.contents(atPath: path) else {
            throw FixtureError.busyboxMissing
        }
        let bytes = [UInt8](data)
        if hasInterpreter(elf: bytes) { throw FixtureError.busyboxNotStatic(path) }
        return bytes
    }

    /// True when a 64-bit little-endian ELF has a PT_INTERP program header,
    /// i.e. needs a dynamic loader the empty image does not have.
    private static func hasInterpreter(elf bytes: [UInt8]) -> Bool {
        guard bytes.count > 64, bytes[0..<4] == [0x7F, 0x45, 0x4C, 0x46] else { return false }
        func read(_ offset: Int, _ width: Int) -> Int {
            (0..<width).reduce(0) { $0 | Int(bytes[offset + $1]) << (8 * $1) }
        }
        let tableOffset = read(0x20, 8)
        let entrySize = read(0x36, 2)
        let entryCount = read(0x38, 2)
        for index in 0..<entryCount {
            let offset = tableOffset + index * entrySize
            guard offset + 4 <= bytes.count else { return false }
            if read(offset, 4) == 3 { return true }  // PT_INTERP
        }
        return false
    }
}
