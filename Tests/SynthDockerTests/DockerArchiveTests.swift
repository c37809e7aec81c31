import Foundation
import SynthDocker
import Testing

/// Copying files in and out of the read-only container's workspace.
@Suite(.serialized, .timeLimit(.minutes(2)))
struct DockerArchiveTests {
    let docker: DockerClient

    init() async throws {
        docker = try DockerClient()
        try await BusyboxImage.ensure()
    }

    func taskFiles() -> TarArchive {
        var archive = TarArchive()
        archive.addFile(path: "README.md", text: "# task\n")
        archive.addFile(path: "src/pkg/module.py", text: "VALUE = 42\n")
        archive.addFile(path: "src/pkg/run.sh", text: "#!/bin/sh\necho ran \"$@\"\n", mode: 0o755)
        archive.addFile(path: "tests/data/blob.bin", content: (0..<70_000).map { UInt8(truncatingIfNeeded: $0 * 13) })
        archive.addFile(path: String(repeating: "long-directory-name/", count: 7) + "deep.txt", text: "deep\n")
        return archive
    }

    @Test func putArchiveThenReadBackViaExecAndGetArchive() async throws {
        try await DockerTestSupport.withContainer(docker, DockerTestSupport.spec()) { id in
            let archive = taskFiles()
            try await docker.putArchive(id, path: "/workspace", tar: archive.encoded())

            let cat = try await docker.exec(id, command: ["cat", "src/pkg/module.py", "README.md"], timeout: .seconds(10))
            #expect(cat.stdoutText == "VALUE = 42\n# task\n")
            let script = try await docker.exec(id, command: ["./src/pkg/run.sh", "ok"], timeout: .seconds(10))
            #expect(script.stdoutText == "ran ok\n")
            let deep = try await docker.exec(
                id, command: ["cat", String(repeating: "long-directory-name/", count: 7) + "deep.txt"], timeout: .seconds(10))
            #expect(deep.stdoutText == "deep\n")

            // Files written inside come back out too.
            _ = try await docker.exec(id, command: ["sh", "-c", "echo produced > /workspace/src/out.txt"], timeout: .seconds(10))
            let fetched = try TarArchive(decoding: await docker.getArchive(id, path: "/workspace"))
            for entry in archive.files {
                #expect(fetched.entry(at: "workspace/" + entry.path)?.content == entry.content, "\(entry.path)")
            }
            #expect(fetched.entry(at: "workspace/src/pkg/run.sh")?.mode == 0o755)
            #expect(fetched.entry(at: "workspace/src/out.txt")?.text == "produced\n")
            #expect(fetched.entry(at: "workspace/src/pkg")?.kind == .directory)
        }
    }

    @Test func missingPathsSurfaceDaemonErrors() async throws {
        try await DockerTestSupport.withContainer(docker, DockerTestSupport.spec()) { id in
            let getError = await #expect(throws: DockerError.self) {
                _ = try await docker.getArchive(id, path: "/workspace/nothing-here")
            }
            #expect(getError?.status == 404)
            #expect(getError?.message.isEmpty == false)
            // The root filesystem is read-only: the daemon refuses to extract there.
            var archive = TarArchive()
            archive.addFile(path: "x.txt", text: "x")
            let putError = await #expect(throws: DockerError.self) {
                try await docker.putArchive(id, path: "/etc", tar: archive.encoded())
            }
            #expect(putError?.message.contains("read-only") == true, "\(String(describing: putError))")
        }
    }
}
