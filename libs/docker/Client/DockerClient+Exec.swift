import Logging
import SynthHTTPClient

extension DockerClient {
    /// How long after the timeout the in-container kill gets to take effect
    /// before the container itself is killed.
    static let execKillGrace: Duration = .seconds(2)

    /// Runs `command` in a running container and collects its output.
    ///
    /// stdout and stderr are kept separately, each capped at `outputLimit`
    /// bytes (the rest is drained and dropped, flagged `…Truncated`).
    ///
    /// Timeout enforcement: with `killInContainer` (the default) the command
    /// runs under `timeout -s KILL <seconds>`, so the image must provide
    /// `timeout` (coreutils or busybox). If the output stream is still open
    /// `execKillGrace` after the timeout — a process escaped that kill, or
    /// `killInContainer` is false — the container is killed with SIGKILL and
    /// `containerKilled` is set. Both cases set `timedOut`.
    ///
    /// Cancelling the calling task stops reading and throws
    /// `CancellationError`; the process may keep running until the
    /// container is removed.
    public func exec(
        _ id: String,
        command: [String],
        workingDirectory: String? = nil,
        environment: [String: String] = [:],
        user: String? = nil,
        timeout: Duration,
        outputLimit: Int = 1 << 20,
        killInContainer: Bool = true,
        stopAfterBytes: Int? = nil
    ) async throws -> ExecResult {
        let wholeSeconds = timeout.components.seconds + (timeout.components.attoseconds > 0 ? 1 : 0)
        let wrapped = killInContainer ? ["timeout", "-s", "KILL", String(max(1, wholeSeconds))] + command : command
        var environment = environment
        // Marks every process of this exec (children inherit it) so an
        // endless writer can be found and killed without the host's PIDs.
        let token = stopAfterBytes == nil ? nil : Self.randomToken()
        if let token { environment[Self.execTokenVariable] = token }
        let createBody = ExecCreateBody(
            cmd: wrapped,
            env: environment.isEmpty ? nil : environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" },
            workingDir: workingDirectory,
            user: user
        )
        let createPath = "/containers/\(EngineURL.segment(id))/exec"
        let created = try await call(.post, createPath, json: createBody, accepting: [201])
        let execID = try decode(EngineIDResponse.self, from: created, operation: "POST \(createPath)").id

        let clock = ContinuousClock()
        let startedAt = clock.now
        let startPath = "/exec/\(EngineURL.segment(execID))/start"
        let startBody = try encodeJSON(ExecStartBody())
        // No HTTP timeout: the stream lasts as long as the command, and the
        // deadline below is what bounds it.
        let request = makeRequest(.post, startPath, body: startBody, contentType: "application/json", timeout: nil)
        let backstop = killInContainer ? timeout + Self.execKillGrace : timeout
        // The stream is released when this closure returns, which aborts a
        // transfer that stopped early (output limit) before its writers are
        // killed; otherwise the paused transfer would hold the connection.
        let (output, containerKilled) = try await { () async throws -> (ExecOutput, Bool) in
            let stream = try await openStream(request, operation: "POST \(startPath)")
            return await collectOutput(of: stream.body, limit: outputLimit, stopAfter: stopAfterBytes, containerID: id,
                                       killAfter: backstop)
        }()
        try Task.checkCancellation()
        if let failure = output.failure { throw failure }
        if output.overflowed, let token {
            await killProcesses(variable: Self.execTokenVariable, value: token, in: id, user: user)
        }
        let duration = clock.now - startedAt

        let exitCode = try await execExitCode(execID, containerKilled: containerKilled)
        let killedBySignal = exitCode == 137 || exitCode == 124
        return ExecResult(
            exitCode: exitCode,
            stdout: output.stdout.bytes,
            stderr: output.stderr.bytes,
            stdoutTruncated: output.stdout.truncated,
            stderrTruncated: output.stderr.truncated,
            timedOut: containerKilled || (killInContainer && killedBySignal && duration >= timeout),
            containerKilled: containerKilled,
            duration: duration,
            outputStopped: output.overflowed,
            outputBytes: output.total
        )
    }

    static let execTokenVariable = "SYNTH_EXEC_TOKEN"

    static func randomToken() -> String {
        (0..<4).map { _ in String(UInt32.random(in: .min ... .max), radix: 16) }.joined()
    }

    /// Kills every process of the container whose environment holds
    /// `variable=value`, with a second exec (the Engine API cannot signal an
    /// exec). Processes that scrubbed their environment escape this, but not
    /// an exec's timeout or the container kill behind it. Needs sh, tr and
    /// grep in the image.
    public func killProcesses(variable: String, value: String, in id: String, user: String?) async {
        let script = "for p in /proc/[0-9]*; do tr '\\0' '\\n' < \"$p/environ\" 2>/dev/null | grep -qxF '\(variable)=\(value)' "
            + "&& kill -9 \"${p#/proc/}\" 2>/dev/null; done; true"
        do {
            let body = ExecCreateBody(cmd: ["sh", "-c", script], env: nil, workingDir: nil, user: user)
            let createPath = "/containers/\(EngineURL.segment(id))/exec"
            let created = try await call(.post, createPath, json: body, accepting: [201])
            let execID = try decode(EngineIDResponse.self, from: created, operation: "POST \(createPath)").id
            let startPath = "/exec/\(EngineURL.segment(execID))/start"
            let request = makeRequest(.post, startPath, body: try encodeJSON(ExecStartBody()), contentType: "application/json",
                                      timeout: .seconds(30))
            let stream = try await openStream(request, operation: "POST \(startPath)")
            for try await _ in stream.body {}
        } catch {
            logger.warning("killing an exec's processes failed", metadata: ["container": "\(id)", "error": "\(error)"])
        }
    }

    private struct ExecOutput: Sendable {
        var stdout: CappedOutputBuffer
        var stderr: CappedOutputBuffer
        var failure: (any Error)?
        /// Bytes read from both streams, kept or not.
        var total = 0
        /// Reading stopped because `total` passed the caller's stop limit.
        var overflowed = false
    }

    private enum ExecEvent: Sendable {
        case finished(ExecOutput)
        case deadlineReached
        case timerCancelled
    }

    /// Reads the exec stream until it ends, killing the container if it is
    /// still open at `killAfter`. Returns the output and whether it killed.
    private func collectOutput(
        of body: AsyncThrowingStream<[UInt8], any Error>,
        limit: Int,
        stopAfter: Int?,
        containerID: String,
        killAfter: Duration
    ) async -> (ExecOutput, Bool) {
        await withTaskGroup(of: ExecEvent.self) { group in
            group.addTask { .finished(await Self.demultiplex(body, limit: limit, stopAfter: stopAfter)) }
            group.addTask { await Self.timer(killAfter) }
            var containerKilled = false
            while let event = await group.next() {
                switch event {
                case .finished(let output):
                    group.cancelAll()
                    return (output, containerKilled)
                case .deadlineReached where !containerKilled:
                    containerKilled = true
                    logger.warning("exec outlived its timeout; killing container",
                                   metadata: ["container": "\(containerID)"])
                    do {
                        try await kill(containerID, signal: "KILL")
                    } catch {
                        logger.error("killing container failed", metadata: ["error": "\(error)"])
                    }
                    // Killing closes the stream; if it somehow does not,
                    // stop reading after a further grace period.
                    group.addTask { await Self.timer(Self.execKillGrace) }
                case .deadlineReached:
                    group.cancelAll()
                case .timerCancelled:
                    continue
                }
            }
            // Unreachable: the reader task always reports `.finished`.
            return (ExecOutput(stdout: CappedOutputBuffer(limit: 0), stderr: CappedOutputBuffer(limit: 0)),
                    containerKilled)
        }
    }

    private static func timer(_ delay: Duration) async -> ExecEvent {
        do {
            try await Task.sleep(for: delay)
            return .deadlineReached
        } catch {
            return .timerCancelled
        }
    }

    /// Splits the multiplexed stream into capped stdout/stderr. Returns
    /// whatever was read when the stream ends, fails or is cancelled.
    private static func demultiplex(_ body: AsyncThrowingStream<[UInt8], any Error>, limit: Int, stopAfter: Int?) async -> ExecOutput {
        var demultiplexer = DockerStreamDemultiplexer()
        var output = ExecOutput(stdout: CappedOutputBuffer(limit: limit), stderr: CappedOutputBuffer(limit: limit))
        do {
            for try await chunk in body {
                // Framing bytes count too; close enough for a runaway bound.
                output.total += chunk.count
                if let stopAfter, output.total > stopAfter {
                    // Dropping the stream aborts the transfer; the caller kills the writers.
                    output.overflowed = true
                    output.stdout.markTruncated()
                    break
                }
                demultiplexer.feed(chunk) { stream, piece in
                    switch stream {
                    case .stdout: output.stdout.append(piece)
                    case .stderr: output.stderr.append(piece)
                    case .stdin: break
                    }
                }
            }
        } catch is CancellationError {
            // Reading was stopped on purpose (deadline or caller); keep output.
        } catch {
            output.failure = error
        }
        return output
    }

    /// The daemon records the exit code a moment after the stream closes,
    /// so poll briefly. -1 if it never reports one.
    private func execExitCode(_ execID: String, containerKilled: Bool) async throws -> Int {
        let path = "/exec/\(EngineURL.segment(execID))/json"
        for _ in 0..<50 {
            let response = try await call(.get, path)
            let state = try decode(EngineExecInspect.self, from: response, operation: "GET \(path)")
            if !state.running, let exitCode = state.exitCode {
                return exitCode
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        return containerKilled ? 137 : -1
    }
}
