@testable import SynthDocker
import Testing

@Suite struct DockerStreamDemultiplexerTests {
    func frame(_ stream: UInt8, _ text: String) -> [UInt8] {
        let payload = Array(text.utf8)
        let size = UInt32(payload.count)
        return [stream, 0, 0, 0, UInt8(size >> 24), UInt8((size >> 16) & 0xFF), UInt8((size >> 8) & 0xFF), UInt8(size & 0xFF)]
            + payload
    }

    /// Frames split at every possible boundary still come out intact.
    @Test(arguments: [1, 3, 7, 8, 9, 64])
    func reassemblesFramesAcrossChunks(chunkSize: Int) {
        let wire = frame(1, "hello ") + frame(2, "oops") + frame(1, "world") + frame(2, "") + frame(1, "!")
        var demultiplexer = DockerStreamDemultiplexer()
        var stdout: [UInt8] = []
        var stderr: [UInt8] = []
        var index = 0
        while index < wire.count {
            let chunk = Array(wire[index..<min(index + chunkSize, wire.count)])
            demultiplexer.feed(chunk) { stream, piece in
                if stream == .stdout { stdout += piece } else if stream == .stderr { stderr += piece }
            }
            index += chunkSize
        }
        #expect(String(decoding: stdout, as: UTF8.self) == "hello world!")
        #expect(String(decoding: stderr, as: UTF8.self) == "oops")
        #expect(demultiplexer.isAtFrameBoundary)
    }

    @Test func cappedBufferKeepsPrefixAndFlags() {
        var buffer = CappedOutputBuffer(limit: 5)
        buffer.append([1, 2, 3][...])
        #expect(!buffer.truncated)
        buffer.append([4, 5, 6, 7][...])
        #expect(buffer.bytes == [1, 2, 3, 4, 5])
        #expect(buffer.truncated)
    }

    @Test func imageReferencesSplitIntoNameAndTag() {
        #expect(DockerClient.splitImageReference("busybox") == ("busybox", "latest"))
        #expect(DockerClient.splitImageReference("python:3.12") == ("python", "3.12"))
        #expect(DockerClient.splitImageReference("registry:5000/team/app") == ("registry:5000/team/app", "latest"))
        #expect(DockerClient.splitImageReference("registry:5000/team/app:v1") == ("registry:5000/team/app", "v1"))
        #expect(DockerClient.splitImageReference("app@sha256:abc") == ("app", "sha256:abc"))
    }
}
