import Foundation

/// Reads a TaskDefinition from JSON bytes in one pass, with
/// `TaskDefinition.init(from:)`'s semantics (documented defaults for absent
/// members). Every method returns nil for anything it does not take on: not
/// only invalid JSON but also valid forms JSONDecoder treats in its own way
/// (null members, repeated keys, which it resolves to the first, keys written
/// with escapes, unknown members, trailing commas, integers written as 1.0 or
/// 1e2). The caller then decodes with JSONDecoder, so such a document gets
/// exactly JSONDecoder's value or error.
struct TaskDefinitionReader {
    private var json: JSONValue.Reader
    private var bytes: UnsafeBufferPointer<UInt8> { json.bytes }

    init(bytes: UnsafeBufferPointer<UInt8>) {
        json = JSONValue.Reader(bytes: bytes)
    }

    /// The whole input as one task object (surrounding whitespace allowed).
    mutating func document() -> TaskDefinition? {
        json.skipWhitespace()
        guard let task = task() else { return nil }
        json.skipWhitespace()
        return json.position == bytes.count ? task : nil
    }

    /// The whole input as a JSON array of task objects, every element read
    /// directly; nil when any one is not (the caller then gives the whole
    /// array to JSONDecoder, so a batch's values and errors stay its own).
    mutating func documentArray() -> [TaskDefinition]? {
        json.skipWhitespace()
        guard let tasks = array({ $0.task() }) else { return nil }
        json.skipWhitespace()
        return json.position == bytes.count ? tasks : nil
    }

    private mutating func task() -> TaskDefinition? {
        var id, version, instruction, category, dockerImage, scaffold, llmModel: String?
        var externalID, compileCommand, lintCommand: String?
        var createdAt: Date?
        var difficulty: Difficulty?
        var initialFiles, environmentVars: [String: String]?
        var resourceLimits: ResourceLimits?
        var verificationTests: [TestSpec]?
        var expectedOutputs, tags: [String]?
        var timeoutSeconds, maxSteps, commandTimeoutSeconds: Int?
        var antiHardcoding: AntiHardcodingConfig?
        var estimatedSteps: StepRange?
        var referenceSolution: [ToolCallSpec]?
        var rewardWeights: RewardWeights?

        // Each member is read into its slot once; a second occurrence fails (`once`).
        let read = object { reader, key in
            switch key.count {
            case 2 where Self.is(key, "id"): return once(&id, reader.string())
            case 4 where Self.is(key, "tags"): return once(&tags, reader.strings())
            case 7 where Self.is(key, "version"): return once(&version, reader.string())
            case 8 where Self.is(key, "category"): return once(&category, reader.string())
            case 8 where Self.is(key, "scaffold"): return once(&scaffold, reader.string())
            case 9 where Self.is(key, "llm_model"): return once(&llmModel, reader.string())
            case 9 where Self.is(key, "max_steps"): return once(&maxSteps, reader.integer())
            case 10 where Self.is(key, "created_at"): return once(&createdAt, reader.string().flatMap(SynthJSON.parseTimestamp))
            case 10 where Self.is(key, "difficulty"): return once(&difficulty, reader.string().flatMap(Difficulty.init(rawValue:)))
            case 11 where Self.is(key, "instruction"): return once(&instruction, reader.string())
            case 11 where Self.is(key, "external_id"): return once(&externalID, reader.string())
            case 12 where Self.is(key, "docker_image"): return once(&dockerImage, reader.string())
            case 12 where Self.is(key, "lint_command"): return once(&lintCommand, reader.string())
            case 13 where Self.is(key, "initial_files"): return once(&initialFiles, reader.stringMap())
            case 14 where Self.is(key, "reward_weights"): return once(&rewardWeights, reader.rewardWeights())
            case 15 where Self.is(key, "timeout_seconds"): return once(&timeoutSeconds, reader.integer())
            case 15 where Self.is(key, "anti_hardcoding"): return once(&antiHardcoding, reader.antiHardcoding())
            case 15 where Self.is(key, "estimated_steps"): return once(&estimatedSteps, reader.stepRange())
            case 15 where Self.is(key, "resource_limits"): return once(&resourceLimits, reader.resourceLimits())
            case 15 where Self.is(key, "compile_command"): return once(&compileCommand, reader.string())
            case 16 where Self.is(key, "environment_vars"): return once(&environmentVars, reader.stringMap())
            case 16 where Self.is(key, "expected_outputs"): return once(&expectedOutputs, reader.strings())
            case 18 where Self.is(key, "verification_tests"): return once(&verificationTests, reader.array { $0.testSpec() })
            case 18 where Self.is(key, "reference_solution"): return once(&referenceSolution, reader.array { $0.toolCall() })
            case 23 where Self.is(key, "command_timeout_seconds"): return once(&commandTimeoutSeconds, reader.integer())
            default: return false
            }
        }
        guard read, let instruction, let category, let difficulty, let dockerImage, let verificationTests else { return nil }
        // The optional members' defaults are the memberwise initializer's,
        // which are init(from:)'s (a test compares the two on a minimal task).
        var task = TaskDefinition(id: id ?? RandomUUID.string(), instruction: instruction, category: category,
                                  difficulty: difficulty, dockerImage: dockerImage, verificationTests: verificationTests)
        if let version { task.version = version }
        if let createdAt { task.createdAt = createdAt }
        if let initialFiles { task.initialFiles = initialFiles }
        if let environmentVars { task.environmentVars = environmentVars }
        if let resourceLimits { task.resourceLimits = resourceLimits }
        task.expectedOutputs = expectedOutputs
        if let timeoutSeconds { task.timeoutSeconds = timeoutSeconds }
        if let tags { task.tags = tags }
        if let antiHardcoding { task.antiHardcoding = antiHardcoding }
        if let estimatedSteps { task.estimatedSteps = estimatedSteps }
        if let scaffold { task.scaffold = scaffold }
        if let llmModel { task.llmModel = llmModel }
        if let maxSteps { task.maxSteps = maxSteps }
        task.referenceSolution = referenceSolution
        task.externalID = externalID
        task.rewardWeights = rewardWeights
        task.compileCommand = compileCommand
        task.lintCommand = lintCommand
        task.commandTimeoutSeconds = commandTimeoutSeconds
        return task
    }

    private mutating func testSpec() -> TestSpec? {
        var name, command: String?
        var files: [String: String]?
        var failToPass, passToPass: [String]?
        let read = object { reader, key in
            if Self.is(key, "name") { return once(&name, reader.string()) }
            if Self.is(key, "command") { return once(&command, reader.string()) }
            if Self.is(key, "files") { return once(&files, reader.stringMap()) }
            if Self.is(key, "fail_to_pass") { return once(&failToPass, reader.strings()) }
            if Self.is(key, "pass_to_pass") { return once(&passToPass, reader.strings()) }
            return false
        }
        guard read, let name, let command else { return nil }
        return TestSpec(name: name, command: command, files: files ?? [:], failToPass: failToPass ?? [], passToPass: passToPass ?? [])
    }

    private mutating func toolCall() -> ToolCallSpec? {
        var tool: String?
        var arguments: [String: JSONValue]?
        let read = object { reader, key in
            if Self.is(key, "tool") { return once(&tool, reader.string()) }
            if Self.is(key, "arguments") {
                guard reader.peek(UInt8(ascii: "{")), case .object(let members)? = try? reader.json.value(depth: 0) else { return false }
                return once(&arguments, members)
            }
            return false
        }
        guard read, let tool, let arguments else { return nil }
        return ToolCallSpec(tool: tool, arguments: arguments)
    }

    private mutating func resourceLimits() -> ResourceLimits? {
        var memoryMB, networkMbps, maxProcesses: Int?
        var cpuCores, diskGB: Double?
        let read = object { reader, key in
            if Self.is(key, "memory_mb") { return once(&memoryMB, reader.integer()) }
            if Self.is(key, "cpu_cores") { return once(&cpuCores, reader.double()) }
            if Self.is(key, "disk_gb") { return once(&diskGB, reader.double()) }
            if Self.is(key, "network_mbps") { return once(&networkMbps, reader.integer()) }
            if Self.is(key, "max_processes") { return once(&maxProcesses, reader.integer()) }
            return false
        }
        guard read else { return nil }
        var limits = ResourceLimits()
        if let memoryMB { limits.memoryMB = memoryMB }
        if let cpuCores { limits.cpuCores = cpuCores }
        if let diskGB { limits.diskGB = diskGB }
        if let networkMbps { limits.networkMbps = networkMbps }
        if let maxProcesses { limits.maxProcesses = maxProcesses }
        return limits
    }

    private mutating func antiHardcoding() -> AntiHardcodingConfig? {
        var hashTestFiles, hideTestsUntilDone: Bool?
        let read = object { reader, key in
            if Self.is(key, "hash_test_files") { return once(&hashTestFiles, reader.bool()) }
            if Self.is(key, "hide_tests_until_done") { return once(&hideTestsUntilDone, reader.bool()) }
            return false
        }
        guard read else { return nil }
        var config = AntiHardcodingConfig()
        if let hashTestFiles { config.hashTestFiles = hashTestFiles }
        if let hideTestsUntilDone { config.hideTestsUntilDone = hideTestsUntilDone }
        return config
    }

    private mutating func stepRange() -> StepRange? {
        var min, max: Int?
        let read = object { reader, key in
            if Self.is(key, "min") { return once(&min, reader.integer()) }
            if Self.is(key, "max") { return once(&max, reader.integer()) }
            return false
        }
        guard read, let min, let max else { return nil }
        return StepRange(min: min, max: max)
    }

    /// RewardWeights decodes with the synthesized init: every member required.
    private mutating func rewardWeights() -> RewardWeights? {
        var testPass, compilation, progress, efficiency, codeQuality: Double?
        let read = object { reader, key in
            if Self.is(key, "test_pass") { return once(&testPass, reader.double()) }
            if Self.is(key, "compilation") { return once(&compilation, reader.double()) }
            if Self.is(key, "progress") { return once(&progress, reader.double()) }
            if Self.is(key, "efficiency") { return once(&efficiency, reader.double()) }
            if Self.is(key, "code_quality") { return once(&codeQuality, reader.double()) }
            return false
        }
        guard read, let testPass, let compilation, let progress, let efficiency, let codeQuality else { return nil }
        return RewardWeights(testPass: testPass, compilation: compilation, progress: progress, efficiency: efficiency,
                             codeQuality: codeQuality)
    }

    // MARK: - Values

    private func peek(_ byte: UInt8) -> Bool { json.position < bytes.count && bytes[json.position] == byte }

    private mutating func string() -> String? {
        guard peek(UInt8(ascii: "\"")) else { return nil }
        return try? json.string()
    }

    private mutating func bool() -> Bool? {
        if peek(UInt8(ascii: "t")) { return (try? json.literal("true")) != nil ? true : nil }
        if peek(UInt8(ascii: "f")) { return (try? json.literal("false")) != nil ? false : nil }
        return nil
    }

    /// Plain integers only (-?(0|[1-9][0-9]*), at most 18 digits): the other
    /// forms JSONDecoder reads as Int (1.0, 1e2) are left to it.
    private mutating func integer() -> Int? {
        var index = json.position
        let negative = index < bytes.count && bytes[index] == UInt8(ascii: "-")
        if negative { index += 1 }
        let start = index
        var value = 0
        while index < bytes.count, bytes[index] >= UInt8(ascii: "0"), bytes[index] <= UInt8(ascii: "9") {
            value = value &* 10 &+ Int(bytes[index] - UInt8(ascii: "0"))  // wraps past 18 digits, refused below
            index += 1
        }
        let digits = index - start
        guard digits > 0, digits <= 18, digits == 1 || bytes[start] != UInt8(ascii: "0") else { return nil }
        if index < bytes.count, [UInt8(ascii: "."), UInt8(ascii: "e"), UInt8(ascii: "E")].contains(bytes[index]) { return nil }
        json.position = index
        return negative ? -value : value
    }

    private mutating func double() -> Double? {
        guard json.position < bytes.count, bytes[json.position] == UInt8(ascii: "-") || (48...57).contains(bytes[json.position]) else {
            return nil
        }
        return try? json.number()
    }

    private mutating func strings() -> [String]? { array { $0.string() } }

    private mutating func stringMap() -> [String: String]? {
        var map: [String: String] = [:]
        // Keys are any string here (escapes too); a repeat (or a canonically equal key) is left to JSONDecoder.
        let read = object(key: { $0.string() }) { reader, name in
            guard let value = reader.string() else { return false }
            return map.updateValue(value, forKey: name) == nil
        }
        return read ? map : nil
    }

    // MARK: - Structure

    /// `[` element (`,` element)* `]`, no trailing comma.
    private mutating func array<Element>(_ element: (inout Self) -> Element?) -> [Element]? {
        guard peek(UInt8(ascii: "[")) else { return nil }
        json.position += 1
        json.skipWhitespace()
        var items: [Element] = []
        if peek(UInt8(ascii: "]")) {
            json.position += 1
            return items
        }
        while true {
            json.skipWhitespace()
            guard let item = element(&self) else { return nil }
            items.append(item)
            json.skipWhitespace()
            if peek(UInt8(ascii: ",")) { json.position += 1; continue }
            guard peek(UInt8(ascii: "]")) else { return nil }
            json.position += 1
            return items
        }
    }

    /// An object of known members: their names as escape-free bytes.
    private mutating func object(_ member: (inout Self, UnsafeBufferPointer<UInt8>) -> Bool) -> Bool {
        object(key: { $0.key() }, member)
    }

    /// `{` key `:` value (`,` ...)* `}`, no trailing comma. `member` reads
    /// the value for a key and returns false to give up.
    private mutating func object<Key>(key readKey: (inout Self) -> Key?, _ member: (inout Self, Key) -> Bool) -> Bool {
        guard peek(UInt8(ascii: "{")) else { return false }
        json.position += 1
        json.skipWhitespace()
        if peek(UInt8(ascii: "}")) {
            json.position += 1
            return true
        }
        while true {
            json.skipWhitespace()
            guard let key = readKey(&self) else { return false }
            json.skipWhitespace()
            guard peek(UInt8(ascii: ":")) else { return false }
            json.position += 1
            json.skipWhitespace()
            guard member(&self, key) else { return false }
            json.skipWhitespace()
            if peek(UInt8(ascii: ",")) { json.position += 1; continue }
            guard peek(UInt8(ascii: "}")) else { return false }
            json.position += 1
            return true
        }
    }

    /// A key's bytes between its quotes; nil if it has escapes or control characters.
    private mutating func key() -> UnsafeBufferPointer<UInt8>? {
        guard peek(UInt8(ascii: "\"")) else { return nil }
        let start = json.position + 1
        var index = start
        while index < bytes.count {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\"") {
                json.position = index + 1
                return UnsafeBufferPointer(rebasing: bytes[start..<index])
            }
            if byte == UInt8(ascii: "\\") || byte < 0x20 { return nil }
            index += 1
        }
        return nil
    }

    private static func `is`(_ key: UnsafeBufferPointer<UInt8>, _ name: StaticString) -> Bool {
        key.count == name.utf8CodeUnitCount && memcmp(key.baseAddress!, name.utf8Start, key.count) == 0
    }
}

/// Stores `value` in an empty slot: false if it is nil (not read) or the slot
/// was filled already (a repeated key).
private func once<Value>(_ slot: inout Value?, _ value: Value?) -> Bool {
    guard slot == nil, let value else { return false }
    slot = value
    return true
}
