import Foundation
import SynthCommon
import SynthSandbox
import SynthExecutor

/// Judges the agent's work after it is done (spec 2.5):
/// 1. every process the agent left behind is killed;
/// 2. its patch is checked for tampering with verification (a planted
///    conftest.py, sitecustomize.py, .pth, or a hidden test's path) and, when
///    the tests were visible, the test files' hashes against those at start;
/// 3. the compile and lint commands run (compilation and code-quality signals);
/// 4. the hidden tests are copied in only now, hashed before and after their
///    run (a suite whose files changed while it ran counts as failed), and
///    judged test by test from their JUnit XML report (pytest is asked for one
///    through PYTEST_ADDOPTS), against the fail-to-pass / pass-to-pass lists;
///    a runner that writes no report is judged by its exit code.
struct Verifier: Sendable {
    let sandbox: Sandbox

    struct Outcome: Sendable {
        var passed: [String] = []
        var failed: [String] = []
        var compiled: Bool?
        var lintClean: Bool?
        /// Why the result cannot be trusted (the agent touched verification).
        var tampering: [String] = []
        var log = ""
    }

    /// - Parameter visibleTestHashes: sha256sum output of the test files
    ///   written at the start, when the task shows its tests to the agent.
    func run(_ task: TaskDefinition, patch: String, visibleTestHashes: String?, deadline: ContinuousClock.Instant) async throws -> Outcome {
        var outcome = Outcome()
        let hiddenPaths = Set(task.verificationTests.flatMap { $0.files.keys })
        if task.antiHardcoding.hashTestFiles {
            let changed = TamperCheck.changedPaths(inPatch: patch)
            let planted = TamperCheck.suspicious(changed: changed, hiddenTestPaths: task.antiHardcoding.hideTestsUntilDone ? hiddenPaths : [],
                                                 allowed: [])
            outcome.tampering += planted.map { "the agent created or changed \($0)" }
            if let visibleTestHashes, try await hashes(hiddenPaths.sorted()).text != visibleTestHashes {
                outcome.tampering.append("the agent changed the visible test files")
            }
        }
        let budget = { max(10, min(1_800, Int((deadline - ContinuousClock.now).components.seconds) + 60)) }
        if let compile = task.compileCommand {
            let result = try await sandbox.run(compile, timeoutSeconds: budget(), outputLimit: 64 * 1024)
            outcome.compiled = result.exitCode == 0 && !result.timedOut
            outcome.log += "== compile: exit \(result.exitCode)\n" + String(result.output.suffix(4 * 1024)) + "\n"
        }
        if let lint = task.lintCommand {
            let result = try await sandbox.run(lint, timeoutSeconds: budget(), outputLimit: 64 * 1024)
            outcome.lintClean = result.exitCode == 0 && !result.timedOut
            outcome.log += "== lint: exit \(result.exitCode)\n" + String(result.output.suffix(4 * 1024)) + "\n"
        }
        for (index, spec) in task.verificationTests.enumerated() {
            try await sandbox.writeFiles(spec.files)
            let paths = spec.files.keys.sorted()
            let before = try await hashes(paths)
            let report = "\(Sandbox.reports)/suite-\(index).xml"
            let result = try await sandbox.run("rm -f \(report); \(spec.command)", timeoutSeconds: budget(), outputLimit: 256 * 1024,
                                               environment: ["PYTEST_ADDOPTS": "--junitxml=\(report) -o junit_family=xunit1 -p no:cacheprovider"])
            let after = try await hashes(paths)
            // A hash that could not be taken (no process slot left, say) is
            // not evidence of tampering; the suite's own result decides.
            let tampered = task.antiHardcoding.hashTestFiles && before.ok && after.ok && before.text != after.text
            let xml = try await sandbox.run("cat \(report) 2>/dev/null", timeoutSeconds: 30, outputLimit: 16 * 1024 * 1024)
            let cases = xml.exitCode == 0 ? (try? JUnitReport(xml: xml.output))?.cases : nil
            var verdict: TestVerdict
            if let cases, !cases.isEmpty {
                verdict = TestVerdict.judge(cases: cases, failToPass: spec.failToPass, passToPass: spec.passToPass)
                // Cases passed but the runner failed (crash in teardown, a
                // non-pytest check in the same command): the suite fails.
                if (result.exitCode != 0 || result.timedOut) && verdict.failed.isEmpty && spec.failToPass.isEmpty && spec.passToPass.isEmpty {
                    verdict.failed.append("\(spec.name) (exit \(result.exitCode))")
                }
            } else {
                verdict = result.exitCode == 0 && !result.timedOut ? TestVerdict(passed: [spec.name], failed: [])
                                                                    : TestVerdict(passed: [], failed: [spec.name])
            }
            if tampered {
                verdict = TestVerdict(passed: [], failed: verdict.passed + verdict.failed)
                outcome.tampering.append("the test files of \(spec.name) changed while they ran")
            }
            outcome.passed += verdict.passed
            outcome.failed += verdict.failed
            outcome.log += "== \(spec.name): exit \(result.exitCode)\(result.timedOut ? " (timed out)" : "")"
                + "\(tampered ? " (test files changed)" : ""), \(verdict.passed.count) passed, \(verdict.failed.count) failed\n"
            outcome.log += String(result.output.suffix(16 * 1024)) + "\n"
        }
        if !outcome.tampering.isEmpty {
            // Nothing measured after tampering can be trusted.
            outcome.failed = outcome.passed + outcome.failed
            outcome.passed = []
        }
        return outcome
    }

    private func hashes(_ paths: [String]) async throws -> (text: String, ok: Bool) {
        guard !paths.isEmpty else { return ("", true) }
        let quoted = paths.map { "'" + $0.replacingOccurrences(of: "'", with: "'\\''") + "'" }.joined(separator: " ")
        let result = try await sandbox.run("sha256sum -- \(quoted) 2>&1", timeoutSeconds: 60, outputLimit: 1024 * 1024)
        return (result.output, result.exitCode == 0)
    }

    /// sha256sum of the test files, recorded when they are shown to the agent.
    static func visibleHashes(_ task: TaskDefinition, sandbox: Sandbox) async throws -> String? {
        guard !task.antiHardcoding.hideTestsUntilDone else { return nil }
        return try await Verifier(sandbox: sandbox).hashes(Set(task.verificationTests.flatMap { $0.files.keys }).sorted()).text
    }
}
