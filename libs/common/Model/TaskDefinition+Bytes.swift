import Foundation

/// TaskDefinition to and from its JSON bytes without Codable, for the queue's
/// hot path: every enqueued task is written once and every leased one read
/// once, and JSONEncoder/JSONDecoder (generic containers, metadata lookups)
/// were most of the queue client's CPU. Same value and the same bytes as
/// SynthJSON; what the direct reader does not take on (invalid input, null
/// members, repeated or unknown keys, keys with escapes, integers written as
/// 1.0) goes to SynthJSON.decode, so errors are JSONDecoder's own.
extension TaskDefinition {
    /// `SynthJSON.decode(TaskDefinition.self, from: bytes)`, faster.
    public init(json bytes: [UInt8]) throws {
        let direct = bytes.withUnsafeBufferPointer { buffer -> TaskDefinition? in
            var reader = TaskDefinitionReader(bytes: buffer)
            return reader.document()
        }
        self = try direct ?? SynthJSON.decode(TaskDefinition.self, from: bytes)
    }

    /// The task when the direct reader takes the whole input on, else nil
    /// (then decode with JSONDecoder for its value or error).
    public init?(directJSON bytes: UnsafeRawBufferPointer) {
        guard let task = bytes.withMemoryRebound(to: UInt8.self, { buffer -> TaskDefinition? in
            var reader = TaskDefinitionReader(bytes: buffer)
            return reader.document()
        }) else { return nil }
        self = task
    }

    /// A JSON array of tasks (a batch body) when the direct reader takes every
    /// element on, else nil: then decode the whole array with JSONDecoder.
    public static func directArray(json bytes: UnsafeRawBufferPointer) -> [TaskDefinition]? {
        bytes.withMemoryRebound(to: UInt8.self) { buffer in
            var reader = TaskDefinitionReader(bytes: buffer)
            return reader.documentArray()
        }
    }

    /// `SynthJSON.encode(self)`, byte for byte, faster. A non-finite number
    /// (which JSON cannot hold) is left to SynthJSON, which throws.
    public func json() throws -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(512 + instruction.utf8.count)
        guard write(to: &out) else { return try SynthJSON.encode(self) }
        return out
    }

    /// Members in JSONEncoder's sorted-key order; nil optionals are left out,
    /// as the synthesized `encode(to:)` does. False: a number was not finite.
    private func write(to out: inout [UInt8]) -> Bool {
        typealias W = JSONBytesWriter
        var finite = true
        func key(_ name: StaticString, first: Bool = false) {
            if !first { out.append(UInt8(ascii: ",")) }
            out.append(UInt8(ascii: "\""))
            out.append(contentsOf: UnsafeBufferPointer(start: name.utf8Start, count: name.utf8CodeUnitCount))
            out.append(contentsOf: [UInt8(ascii: "\""), UInt8(ascii: ":")])
        }
        func bool(_ flag: Bool) { out.append(contentsOf: (flag ? "true" : "false").utf8) }
        func number(_ value: Double) { finite = W.number(value, to: &out) && finite }

        out.append(UInt8(ascii: "{"))
        key("anti_hardcoding", first: true); out.append(UInt8(ascii: "{"))
        key("hash_test_files", first: true); bool(antiHardcoding.hashTestFiles)
        key("hide_tests_until_done"); bool(antiHardcoding.hideTestsUntilDone)
        out.append(UInt8(ascii: "}"))
        key("category"); W.string(category, to: &out)
        if let commandTimeoutSeconds { key("command_timeout_seconds"); W.integer(commandTimeoutSeconds, to: &out) }
        if let compileCommand { key("compile_command"); W.string(compileCommand, to: &out) }
        key("created_at"); W.string(SynthJSON.formatTimestamp(createdAt), to: &out)
        key("difficulty"); W.string(difficulty.rawValue, to: &out)
        key("docker_image"); W.string(dockerImage, to: &out)
        key("environment_vars"); W.strings(environmentVars, to: &out)
        key("estimated_steps"); out.append(UInt8(ascii: "{"))
        key("max", first: true); W.integer(estimatedSteps.max, to: &out)
        key("min"); W.integer(estimatedSteps.min, to: &out)
        out.append(UInt8(ascii: "}"))
        if let expectedOutputs { key("expected_outputs"); W.strings(expectedOutputs, to: &out) }
        if let externalID { key("external_id"); W.string(externalID, to: &out) }
        key("id"); W.string(id, to: &out)
        key("initial_files"); W.strings(initialFiles, to: &out)
        key("instruction"); W.string(instruction, to: &out)
        if let lintCommand { key("lint_command"); W.string(lintCommand, to: &out) }
        key("llm_model"); W.string(llmModel, to: &out)
        key("max_steps"); W.integer(maxSteps, to: &out)
        if let referenceSolution {
            key("reference_solution")
            out.append(UInt8(ascii: "["))
            for (index, call) in referenceSolution.enumerated() {
                if index > 0 { out.append(UInt8(ascii: ",")) }
                out.append(UInt8(ascii: "{"))
                key("arguments", first: true); finite = W.value(.object(call.arguments), to: &out) && finite
                key("tool"); W.string(call.tool, to: &out)
                out.append(UInt8(ascii: "}"))
            }
            out.append(UInt8(ascii: "]"))
        }
        key("resource_limits"); out.append(UInt8(ascii: "{"))
        key("cpu_cores", first: true); number(resourceLimits.cpuCores)
        key("disk_gb"); number(resourceLimits.diskGB)
        key("max_processes"); W.integer(resourceLimits.maxProcesses, to: &out)
        key("memory_mb"); W.integer(resourceLimits.memoryMB, to: &out)
        key("network_mbps"); W.integer(resourceLimits.networkMbps, to: &out)
        out.append(UInt8(ascii: "}"))
        if let rewardWeights {
            key("reward_weights"); out.append(UInt8(ascii: "{"))
            key("code_quality", first: true); number(rewardWeights.codeQuality)
            key("compilation"); number(rewardWeights.compilation)
            key("efficiency"); number(rewardWeights.efficiency)
            key("progress"); number(rewardWeights.progress)
            key("test_pass"); number(rewardWeights.testPass)
            out.append(UInt8(ascii: "}"))
        }
        key("scaffold"); W.string(scaffold, to: &out)
        key("tags"); W.strings(tags, to: &out)
        key("timeout_seconds"); W.integer(timeoutSeconds, to: &out)
        key("verification_tests")
        out.append(UInt8(ascii: "["))
        for (index, test) in verificationTests.enumerated() {
            if index > 0 { out.append(UInt8(ascii: ",")) }
            // TestSpec.encode(to:) leaves empty test-id lists out.
            out.append(UInt8(ascii: "{"))
            key("command", first: true); W.string(test.command, to: &out)
            if !test.failToPass.isEmpty { key("fail_to_pass"); W.strings(test.failToPass, to: &out) }
            key("files"); W.strings(test.files, to: &out)
            key("name"); W.string(test.name, to: &out)
            if !test.passToPass.isEmpty { key("pass_to_pass"); W.strings(test.passToPass, to: &out) }
            out.append(UInt8(ascii: "}"))
        }
        out.append(UInt8(ascii: "]"))
        key("version"); W.string(version, to: &out)
        out.append(UInt8(ascii: "}"))
        return finite
    }
}
