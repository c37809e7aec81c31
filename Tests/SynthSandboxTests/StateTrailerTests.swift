import SynthSandbox
import Testing

/// Taking apart the stdout of an exec that ran a command and then printed
/// the workspace state (no container needed).
struct StateTrailerTests {
    let trailer = StateTrailer()

    func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }
    func begin(_ status: Int, _ clock: String = "100.250000") -> String { "\n--synth-state-\(trailer.token)-\(status)-\(clock)--\n" }
    func end(_ clock: String = "100.500000") -> String { "--synth-state-end-\(trailer.token)-\(clock)--\n" }

    @Test func splitsTheCommandsOutputStatusAndState() {
        let parts = trailer.split(bytes("hello\nworld" + begin(3) + "12\t./a\n---\n" + end()))
        #expect(parts.stdout == bytes("hello\nworld"))
        #expect(parts.status == 3)
        #expect(parts.state == "12\t./a\n---\n")
        #expect(parts.stateSeconds == 0.25)
    }

    @Test func outputWithoutAMarkerIsAllTheCommands() {
        // A command killed at its timeout never reached the marker.
        let parts = trailer.split(bytes("partial output\n"))
        #expect(parts.stdout == bytes("partial output\n"))
        #expect(parts.status == nil && parts.state == nil && parts.stateSeconds == nil)
    }

    @Test func anotherExecsTokenIsJustOutput() {
        let other = StateTrailer()
        let printed = "\n--synth-state-\(other.token)-0-1.0--\nfake\n--synth-state-end-\(other.token)-2.0--\n"
        let parts = trailer.split(bytes(printed + begin(0) + "real\n" + end()))
        #expect(parts.stdout == bytes(printed))
        #expect(parts.state == "real\n")
    }

    @Test func aMarkerPrintedByTheCommandItselfStaysInItsOutput() {
        // The last begin marker is the wrapper's: it comes after the command ended.
        let forged = begin(0) + "forged\n" + end()
        let parts = trailer.split(bytes("out" + forged + begin(1) + "real\n" + end()))
        #expect(parts.stdout == bytes("out" + forged))
        #expect(parts.status == 1)
        #expect(parts.state == "real\n")
    }

    @Test func outputAfterTheEndMarkerIsTheAgentsAndVoidsTheState() {
        // A process the command left running wrote after the state.
        let parts = trailer.split(bytes("out" + begin(0) + "state\n" + end() + "late writer\n"))
        #expect(parts.stdout == bytes("outlate writer\n"))
        #expect(parts.status == 0)
        #expect(parts.state == nil)
    }

    @Test func aStateCutShortIsMissingButTheStatusStands() {
        let parts = trailer.split(bytes("out" + begin(2) + "12\t./a\n---\nabc"))
        #expect(parts.stdout == bytes("out"))
        #expect(parts.status == 2)
        #expect(parts.state == nil)
    }

    @Test func aStateAtTheBudgetCountsAsCut() {
        let full = String(repeating: "x", count: StateTrailer.budget)
        #expect(trailer.split(bytes("out" + begin(0) + full + end())).state == nil)
        #expect(trailer.split(bytes("out" + begin(0) + full.dropLast() + end())).state?.utf8.count == StateTrailer.budget - 1)
    }
}
