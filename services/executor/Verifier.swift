import Foundation
import SynthCommon

/// Runs the hidden tests after the agent is done and computes the reward.
/// Test files are copied in only now, and hashed before and after their run:
/// a suite whose files changed while it ran counts as failed (tampering).
struct Verifier: Sendable {
    let sandbox: Sandbox

    struct Outcome: Sendable {
        var passed: [String]
        var failed: [String]
        var log: String
    }

    func run(_ task: TaskDefinition, deadline: ContinuousClock.Instant) async throws -> Outcome {
        var outcome = Outcome(passed: [], failed: [], log: "")
        for spec in task.verificationTests {
            try await sandbox.writeFiles(spec.files)
            let paths = spec.files.keys.sorted()
            let before = try await hashes(paths)
            let remaining = max(10, Int((deadline - ContinuousClock.now).components.seconds) + 60)
            let result = try await sandbox.run(spec.command, timeoutSeconds: min(remaining, 1_800), outputLimit: 256 * 1024)
            let after = try await hashes(paths)
            let tampered = task.antiHardcoding.hashTestFiles && before != after
            if result.exitCode == 0 && !result.timedOut && !tampered {
                outcome.passed.append(spec.name)
            } else {
                outcome.failed.append(spec.name)
            }
            outcome.log += "== \(spec.name): exit \(result.exitCode)\(result.timedOut ? " (timed out)" : "")\(tampered ? " (test files changed)" : "")\n"
            outcome.log += String(result.output.suffix(16 * 1024)) + "\n"
        }
        return outcome
    }

    private func hashes(_ paths: [String]) async throws -> String {
        guard !paths.isEmpty else { return "" }
        let quoted = paths.map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        return try await sandbox.run("sha256sum -- \(quoted) 2>&1", timeoutSeconds: 60, outputLimit: 1024 * 1024).output
    }
}
