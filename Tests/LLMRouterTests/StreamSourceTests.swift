import Testing
@testable import synth_llm_router

@Suite struct StreamSourceTests {
    func source(_ reads: [String]) -> StreamSource {
        let body = AsyncThrowingStream<[UInt8], any Error> { continuation in
            for read in reads { continuation.yield(Array(read.utf8)) }
            continuation.finish()
        }
        return StreamSource(body: body, translator: OpenAIAdapter.PassThrough(includeUsage: false))
    }

    @Test func outputBeforeAnErrorInTheSameReadComesFirst() async throws {
        let stream = source(["data: {\"choices\":[{\"delta\":{\"content\":\"one\"}}]}\n\ndata: {\"error\":{\"message\":\"boom\"}}\n\n"])
        let first = try await stream.next()
        #expect(first?.count == 1)
        await #expect(throws: AdapterError.self) { try await stream.next() }
        #expect(try await stream.next() == nil)
    }

    @Test func anErrorWithNothingBeforeItThrowsAtOnce() async throws {
        let stream = source(["data: {\"error\":{\"message\":\"boom\"}}\n\n"])
        await #expect(throws: AdapterError.self) { try await stream.next() }
    }

    @Test func eventsSplitAcrossReadsAndAnUnterminatedLastEvent() async throws {
        let stream = source(["data: {\"choices\":[{\"delta\":{\"content\"", ":\"a\"}}]}\n\ndata: [DONE]"])
        #expect(try await stream.next()?.isEmpty == true)
        #expect(try await stream.next()?.count == 1)
        #expect(!stream.isComplete)
        #expect(try await stream.next()?.isEmpty == true)  // the final "[DONE]" without its blank line
        #expect(stream.isComplete)
        #expect(try await stream.next() == nil)
    }
}
