import Foundation

/// A field that failed validation: where (a JSON path such as
/// `verification_tests[0].command`) and what was wrong.
public struct FieldError: Error, Codable, Sendable, Equatable {
    public var field: String
    public var message: String

    public init(field: String, message: String) {
        self.field = field
        self.message = message
    }
}

extension TaskDefinition {
    public static let knownScaffolds: Set<String> = ["minimal", "swe-agent", "external"]

    /// Semantic checks the JSON decoder cannot make. Empty means valid.
    public func validationErrors() -> [FieldError] {
        var errors: [FieldError] = []
        // Field and message are built only for a failed check: a batch
        // validates 10,000 tasks, nearly all valid.
        func check(_ condition: Bool, _ field: @autoclosure () -> String, _ message: @autoclosure () -> String) {
            if !condition { errors.append(FieldError(field: field(), message: message())) }
        }
        check(Self.isValidID(id), "id", "must be 1-128 letters, digits or - _ . :")
        // Any visible ASCII character means not blank, without trimming a copy.
        check(instruction.utf8.contains { $0 > 0x20 && $0 < 0x7F } || !instruction.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty,
              "instruction", "must not be empty")
        check(!category.isEmpty && category.count <= 64, "category", "must be 1-64 characters")
        check(!dockerImage.isEmpty && !dockerImage.contains(" "), "docker_image", "must be an image reference")
        check(!verificationTests.isEmpty, "verification_tests", "must hold at least one test")
        for (index, test) in verificationTests.enumerated() {
            check(!test.name.isEmpty, "verification_tests[\(index)].name", "must not be empty")
            check(!test.command.isEmpty, "verification_tests[\(index)].command", "must not be empty")
            for path in test.files.keys where !Self.isSafeRelativePath(path) {
                errors.append(FieldError(field: "verification_tests[\(index)].files", message: "'\(path)' must be a relative path inside the workspace"))
            }
        }
        for path in initialFiles.keys where !Self.isSafeRelativePath(path) {
            errors.append(FieldError(field: "initial_files", message: "'\(path)' must be a relative path inside the workspace"))
        }
        check((1...86_400).contains(timeoutSeconds), "timeout_seconds", "must be between 1 and 86400")
        check((1...1_000).contains(maxSteps), "max_steps", "must be between 1 and 1000")
        if let commandTimeoutSeconds {
            check((1...86_400).contains(commandTimeoutSeconds), "command_timeout_seconds", "must be between 1 and 86400")
        }
        check(estimatedSteps.min >= 0 && estimatedSteps.min <= estimatedSteps.max, "estimated_steps", "needs 0 <= min <= max")
        check(resourceLimits.memoryMB >= 16 && resourceLimits.memoryMB <= 262_144, "resource_limits.memory_mb", "must be between 16 and 262144")
        check(resourceLimits.cpuCores > 0 && resourceLimits.cpuCores <= 64, "resource_limits.cpu_cores", "must be in (0, 64]")
        check(resourceLimits.maxProcesses >= 8 && resourceLimits.maxProcesses <= 100_000, "resource_limits.max_processes", "must be between 8 and 100000")
        check(Self.knownScaffolds.contains(scaffold), "scaffold", "unknown scaffold '\(scaffold)' (known: \(Self.knownScaffolds.sorted().joined(separator: ", ")))")
        check(!llmModel.isEmpty, "llm_model", "must not be empty")
        if llmModel == "oracle" {
            check(!(referenceSolution ?? []).isEmpty, "reference_solution", "the oracle model replays the reference solution, so it must be given")
        }
        return errors
    }

    /// 1-128 letters, digits or `-_.:`. Ids are nearly always ASCII (UUIDs):
    /// those are checked byte by byte, the rest Character by Character.
    static func isValidID(_ id: String) -> Bool {
        let ascii = id.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "0")...UInt8(ascii: "9"),
                 UInt8(ascii: "-"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: ":"): return true
            default: return false
            }
        }
        if ascii { return !id.isEmpty && id.utf8.count <= 128 }
        return !id.isEmpty && id.count <= 128 && id.allSatisfy { $0.isLetter || $0.isNumber || "-_.:".contains($0) }
    }

    /// No absolute paths, no `..`: files must land inside the workspace.
    public static func isSafeRelativePath(_ path: String) -> Bool {
        !path.isEmpty && !path.hasPrefix("/") && !path.split(separator: "/").contains("..") && !path.contains("\0")
    }
}
