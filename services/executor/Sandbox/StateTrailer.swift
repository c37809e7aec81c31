import Foundation

/// The workspace state read in an agent command's own exec: the command runs,
/// then the same script as `Sandbox.snapshot()` prints the state after a
/// marker, so a step costs one Engine API exec instead of two (the second
/// exec was most of the executor's per-step overhead).
///
/// The exec's stdout is: the command's stdout, "\n", the begin marker (with
/// the command's exit status and the shell's clock when it ended), the state
/// (stdout and stderr of the state script, at most `budget` bytes), and the
/// end marker (with the clock after the state). Each exec has its own random
/// token in its markers, so output cannot match them by accident. A command
/// that does not finish (timeout, output stop, killed container) prints no
/// marker, and the caller takes the state with a separate exec as before.
///
/// The agent's processes can read the token (the exec's command line is
/// visible in /proc) and so could print a forged state; the recorded state
/// is informational, and nothing that judges the agent reads it: the
/// verifier kills the agent's processes and hashes the files itself.
public struct StateTrailer: Sendable {
    /// Bytes of state one exec may carry; a bigger state (a repository of
    /// many thousands of files) is cut here and read with a separate exec.
    public static let budget = 2 << 20
    /// Room for the state and both markers on top of the command's own
    /// output caps.
    public static let reserve = budget + 512

    public let token: String

    public init() {
        token = (0..<4).map { _ in String(UInt32.random(in: .min ... .max), radix: 16) }.joined()
    }

    /// The exec's argv: `bash -c SCRIPT bash COMMAND TOKEN`, so the command
    /// reaches the inner bash verbatim, as it did without the trailer.
    public func command(_ command: String, stateScript: String) -> [String] {
        ["bash", "-c", Self.script(stateScript), "bash", command, token]
    }

    /// After the command: stderr of the wrapper goes nowhere (bash's own
    /// complaints, such as fork retries, are not the agent's output), and the
    /// state is skipped when the container's pids cgroup is almost full (a
    /// fork left running by the command), since forking would only retry
    /// for seconds inside the command's time; without the end marker the
    /// caller reads the state with an exec of its own, as before.
    static func script(_ stateScript: String) -> String {
        """
        bash -c "$1"; s=$?; t=$EPOCHREALTIME
        exec 2>/dev/null
        printf '\\n--synth-state-%s-%d-%s--\\n' "$2" "$s" "$t"
        c= m=
        { read -r c < /sys/fs/cgroup/pids/pids.current && read -r m < /sys/fs/cgroup/pids/pids.max; } || \
        { read -r c < /sys/fs/cgroup/pids.current && read -r m < /sys/fs/cgroup/pids.max; }
        if [ -z "$m" ] || [ "$m" = max ] || [ "$((c + 8))" -le "$m" ]; then
          ( \(stateScript) ) 2>&1 | head -c \(budget)
          printf -- '--synth-state-end-%s-%s--\\n' "$2" "$EPOCHREALTIME"
        fi
        exit $s
        """
    }

    /// What the exec's stdout holds, taken apart.
    public struct Parts: Sendable, Equatable {
        /// The command's own stdout (with anything written after the end
        /// marker by a process it left running).
        public var stdout: [UInt8]
        /// The command's exit status; nil when the begin marker is missing
        /// (the command did not finish in this exec).
        public var status: Int?
        /// The state script's output; nil when it is missing, cut by the
        /// budget or the output cap, or mixed with the command's output.
        public var state: String?
        /// Seconds between the command's end and the state's end, by the
        /// container's clock, when both markers carried it.
        public var stateSeconds: Double?
    }

    public func split(_ output: [UInt8]) -> Parts {
        let begin = Array("\n--synth-state-\(token)-".utf8)
        guard let beginAt = Self.lastIndex(of: begin, in: output[...]),
              let fields = Self.fields(in: output[(beginAt + begin.count)...]) else {
            return Parts(stdout: output)
        }
        let status = Int(fields.values.first ?? "")
        let ended = fields.values.count > 1 ? Self.seconds(fields.values[1]) : nil
        let stdout = Array(output[..<beginAt])
        let rest = output[fields.end...]
        let end = Array("--synth-state-end-\(token)-".utf8)
        guard let status, let endAt = Self.firstIndex(of: end, in: rest),
              let endFields = Self.fields(in: output[(endAt + end.count)...]) else {
            return Parts(stdout: stdout, status: status)
        }
        let after = output[endFields.end...]
        let state = output[rest.startIndex..<endAt]
        // Anything after the end marker came from a process the command left
        // running: it is the agent's output, and the state may be mixed with it.
        guard after.isEmpty, state.count < Self.budget else {
            return Parts(stdout: stdout + after, status: status)
        }
        let stateEnded = endFields.values.first.flatMap(Self.seconds)
        return Parts(stdout: stdout, status: status, state: String(decoding: state, as: UTF8.self),
                     stateSeconds: ended.flatMap { ended in stateEnded.map { max(0, $0 - ended) } })
    }

    /// The dash-separated fields of a marker up to its closing "--\n", and
    /// where the marker ends.
    private static func fields(in bytes: ArraySlice<UInt8>) -> (values: [String], end: Int)? {
        guard let close = firstIndex(of: Array("--\n".utf8), in: bytes) else { return nil }
        let text = String(decoding: bytes[bytes.startIndex..<close], as: UTF8.self)
        return (text.split(separator: "-", omittingEmptySubsequences: false).map(String.init), close + 3)
    }

    /// EPOCHREALTIME is seconds with six decimals; some locales write a comma.
    private static func seconds(_ text: String) -> Double? {
        Double(text.replacingOccurrences(of: ",", with: "."))
    }

    static func firstIndex(of needle: [UInt8], in haystack: ArraySlice<UInt8>) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count else { return nil }
        var index = haystack.startIndex
        let last = haystack.endIndex - needle.count
        while index <= last {
            if haystack[index] == needle[0] && haystack[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index += 1
        }
        return nil
    }

    static func lastIndex(of needle: [UInt8], in haystack: ArraySlice<UInt8>) -> Int? {
        guard !needle.isEmpty, haystack.count >= needle.count else { return nil }
        var index = haystack.endIndex - needle.count
        while index >= haystack.startIndex {
            if haystack[index] == needle[0] && haystack[index..<(index + needle.count)].elementsEqual(needle) { return index }
            index -= 1
        }
        return nil
    }
}
