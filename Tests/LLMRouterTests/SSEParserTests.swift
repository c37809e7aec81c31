import Testing
@testable import synth_llm_router

@Suite struct SSEParserTests {
    private func feedAll(_ pieces: [String]) -> (events: [SSEEvent], tail: SSEEvent?) {
        var parser = SSEParser()
        var events: [SSEEvent] = []
        for piece in pieces { events += parser.feed(Array(piece.utf8)) }
        return (events, parser.finish())
    }

    @Test func eventsEndAtBlankLinesWhateverTheLineEnding() {
        let (events, tail) = feedAll(["data: one\n\ndata: two\r\n\r\ndata: three\r\rdata: four\n\n"])
        #expect(events.map(\.data) == ["one", "two", "three", "four"])
        #expect(tail == nil)
    }

    @Test func splitAnywhereIncludingBetweenCRAndLF() {
        // "\r" at the end of one chunk and "\n" at the start of the next are one line end, not two
        // (two would end the event early and emit it as soon as the "\r" arrives).
        let text = "event: message_start\r\ndata: {\"a\":1}\r\n\r\ndata: x\r\n\r\n"
        let bytes = Array(text.utf8)
        for cut in 1..<bytes.count {
            var parser = SSEParser()
            let events = parser.feed(Array(bytes[..<cut])) + parser.feed(Array(bytes[cut...]))
            #expect(events.map(\.data) == ["{\"a\":1}", "x"], "cut at \(cut)")
            #expect(events.first?.event == "message_start", "cut at \(cut)")
        }
    }

    @Test func byteAtATime() {
        var parser = SSEParser()
        var events: [SSEEvent] = []
        for byte in "data: {\"x\": \"é\"}\n\n".utf8 { events += parser.feed([byte]) }
        #expect(events.map(\.data) == ["{\"x\": \"é\"}"])
    }

    @Test func multipleDataLinesJoinWithNewlineAndCommentsAreIgnored() {
        let (events, _) = feedAll([": keep-alive\n", "data: first\ndata: second\n", ":ping\n\n"])
        #expect(events.count == 1)
        #expect(events.first?.data == "first\nsecond")
    }

    @Test func fieldWithoutSpaceAfterColonAndUnknownFields() {
        let (events, _) = feedAll(["data:tight\nid: 7\nretry: 100\n\n"])
        #expect(events.map(\.data) == ["tight"])
        // Only the first space after the colon is dropped.
        let (spaced, _) = feedAll(["data:  two spaces\n\n"])
        #expect(spaced.first?.data == " two spaces")
    }

    @Test func eventNameWithoutDataStillEndsAnEvent() {
        let (events, _) = feedAll(["event: ping\n\n"])
        #expect(events.count == 1)
        #expect(events.first?.event == "ping")
        #expect(events.first?.data == "")
    }

    @Test func blankLinesAloneProduceNothing() {
        let (events, tail) = feedAll(["\n\n\r\n\n"])
        #expect(events.isEmpty)
        #expect(tail == nil)
    }

    @Test func finishReturnsAnUnterminatedLastEvent() {
        let (events, tail) = feedAll(["data: a\n\ndata: [DONE]"])
        #expect(events.map(\.data) == ["a"])
        #expect(tail?.data == "[DONE]")
        let (_, lineEnded) = feedAll(["data: b\n"])
        #expect(lineEnded?.data == "b")
    }

    @Test func eventFieldDoesNotLeakIntoTheNextEvent() {
        let (events, _) = feedAll(["event: error\ndata: 1\n\ndata: 2\n\n"])
        #expect(events.map(\.event) == ["error", nil])
    }
}
