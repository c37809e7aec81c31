import Foundation
import Testing
@testable import SynthCommon

/// The queue reads and writes task definitions with the bytes codec; every
/// other component uses SynthJSON (Codable). The two must agree on values,
/// bytes and errors.
@Suite("TaskDefinition read and written from bytes")
struct TaskDefinitionBytesTests {
    /// Definitions covering every optional member present and absent, with
    /// escapes, control characters, non-ASCII and odd numbers in them.
    static func generated(count: Int) -> [TaskDefinition] {
        var random = LCG(seed: 42)
        let samples = ["plain", "", "quote \" backslash \\ slash / end", "lines\nand\ttabs\r\u{8}\u{c}", "ctl \u{1}\u{1f}\u{0}\u{7f}",
                     "ünïcödé 名前 😀 \u{2028}\u{2029}", "e\u{301} vs é", "{\"json\": [1, 2]}", String(repeating: "long ", count: 200)]
        func text() -> String { samples[random.below(samples.count)] + (random.below(2) == 0 ? "" : String(random.below(1000))) }
        func texts(_ limit: Int) -> [String] { (0..<random.below(limit)).map { _ in text() } }
        func files() -> [String: String] {
            var files: [String: String] = [:]
            for index in 0..<random.below(4) { files["dir/\(text())-\(index).py"] = text() }
            return files
        }
        func number() -> Double {
            [0, 1, -0.0, 0.5, 0.1, 1e-7, 1e16, 123456.789, 9_007_199_254_740_992, Double(random.below(1_000_000)) / 7][random.below(10)]
        }
        func value(depth: Int) -> JSONValue {
            switch random.below(depth > 2 ? 4 : 6) {
            case 0: return .null
            case 1: return .bool(random.below(2) == 0)
            case 2: return .number(number())
            case 3: return .string(text())
            case 4: return .array((0..<random.below(3)).map { _ in value(depth: depth + 1) })
            default:
                var members: [String: JSONValue] = [:]
                for index in 0..<random.below(3) { members["\(text())\(index)"] = value(depth: depth + 1) }
                return .object(members)
            }
        }
        return (0..<count).map { index in
            var task = TaskDefinition(
                id: index % 5 == 0 ? "t/\(index) \(text())" : "task-\(index)", instruction: text(), category: text(),
                difficulty: Difficulty.allCases[index % 4], dockerImage: "img:\(index)", initialFiles: files(),
                verificationTests: (0..<random.below(3)).map { test in
                    TestSpec(name: "t\(test) \(text())", command: text(), files: files(), failToPass: texts(3), passToPass: texts(3))
                },
                timeoutSeconds: random.below(100_000) - 10, estimatedSteps: StepRange(min: random.below(5), max: random.below(50)),
                scaffold: text(), llmModel: text(), maxSteps: random.below(200),
                referenceSolution: random.below(3) == 0 ? nil : (0..<random.below(3)).map { _ in
                    ToolCallSpec(tool: text(), arguments: ["command": value(depth: 0), "x": value(depth: 0)])
                })
            task.version = random.below(2) == 0 ? "1" : text()
            task.createdAt = Date(timeIntervalSince1970: Double(random.below(4_000_000_000_000)) / 1000)
            task.environmentVars = files()
            task.resourceLimits = ResourceLimits(memoryMB: random.below(1 << 20), cpuCores: number(), diskGB: number(),
                                                 networkMbps: random.below(100), maxProcesses: random.below(10_000))
            task.expectedOutputs = random.below(2) == 0 ? nil : texts(3)
            task.tags = texts(4)
            task.antiHardcoding = AntiHardcodingConfig(hashTestFiles: random.below(2) == 0, hideTestsUntilDone: random.below(2) == 0)
            task.externalID = random.below(2) == 0 ? nil : text()
            task.rewardWeights = random.below(2) == 0 ? nil : RewardWeights(testPass: number(), compilation: number(), progress: number(),
                                                                             efficiency: number(), codeQuality: number())
            task.compileCommand = random.below(2) == 0 ? nil : text()
            task.lintCommand = random.below(2) == 0 ? nil : text()
            task.commandTimeoutSeconds = random.below(2) == 0 ? nil : random.below(1000)
            return task
        }
    }

    @Test func writesWhatSynthJSONWrites() throws {
        for task in Self.generated(count: 500) {
            let direct = try task.json()
            #expect(String(decoding: direct, as: UTF8.self) == String(decoding: try SynthJSON.encode(task), as: UTF8.self))
        }
    }

    /// What the direct reader alone makes of `bytes` (nil: it leaves them to JSONDecoder).
    static func direct(_ bytes: [UInt8]) -> TaskDefinition? {
        bytes.withUnsafeBufferPointer { buffer in
            var reader = TaskDefinitionReader(bytes: buffer)
            return reader.document()
        }
    }

    @Test func readsWhatJSONDecoderReads() throws {
        for task in Self.generated(count: 500) {
            let bytes = try SynthJSON.encode(task)
            // Not `task` itself: the wire keeps created_at to the millisecond.
            let reference = try SynthJSON.decode(TaskDefinition.self, from: bytes)
            #expect(Self.direct(bytes) == reference)
            #expect(try TaskDefinition(json: bytes) == reference)
        }
    }

    static let handWritten = [
        // Whitespace everywhere, members in any order, escapes JSONEncoder never writes.
        """
         \n{ "verification_tests" : [ { "name" : "a\\u00e9\\/b" , "command" : "x\\ud83d\\ude00" , "files" : { } } ] ,
           "instruction":"Fix \\"it\\"\\r\\n", "category" : "bugfix" ,"difficulty":"expert", "docker_image":"i",
           "resource_limits": {"cpu_cores": 2.5e0, "disk_gb": -1E-2, "memory_mb": -0}, "tags": [ ],
           "reward_weights": {"test_pass": 1, "compilation": 0.25, "progress": 0, "efficiency": 12345678901234567890,
                              "code_quality": 0.1}, "anti_hardcoding": {"hide_tests_until_done": false} }\t
        """,
        TaskDefinitionJSONTests.minimal,
        #"{"instruction":"x","category":"c","difficulty":"easy","docker_image":"i","verification_tests":[],"created_at":"2026-11-28T18:14:06Z"}"#,
        // Timestamp forms ISO8601Timestamp leaves to Foundation, as SynthJSON does.
        #"{"instruction":"x","category":"c","difficulty":"easy","docker_image":"i","verification_tests":[],"created_at":"2026-11-28T19:14:06+01:00"}"#,
        #"{"instruction":"x","category":"c","difficulty":"easy","docker_image":"i","verification_tests":[],"reference_solution":[{"arguments":{"a":{"b":[1,2,{"c":null}]},"a":2},"tool":"t"}]}"#,
    ]

    /// Absent `id` and `created_at` are fresh on every decode, so they are compared only when given.
    static func sameExceptFreshDefaults(_ a: TaskDefinition, _ b: TaskDefinition, _ text: String) -> Bool {
        var b = b
        if !text.contains("\"id\"") { b.id = a.id }
        if !text.contains("\"created_at\"") { b.createdAt = a.createdAt }
        return a == b
    }

    @Test(arguments: handWritten)
    func readsOtherWritingsOfTheSameValues(text: String) throws {
        let bytes = Array(text.utf8)
        let direct = try #require(Self.direct(bytes))
        #expect(Self.sameExceptFreshDefaults(direct, try SynthJSON.decode(TaskDefinition.self, from: bytes), text))
    }

    static let leftToJSONDecoder = [
        #"{"instruction":"x","category":"c","difficulty":"easy","docker_image":"i","verification_tests":[],"tags":null}"#,
        #"{"instruction":"x","instruction":"y","category":"c","difficulty":"easy","docker_image":"i","verification_tests":[]}"#,
        #"{"instruction":"x","category":"c","difficulty":"easy","docker_image":"i","verification_tests":[],}"#,
        #"{"instruction":"x","category":"c","difficulty":"easy","docker_image":"i","verification_tests":[],"max_steps":7.0}"#,
        #"{"instruction":"x","category":"c","difficulty":"easy","docker_image":"i","verification_tests":[],"max_steps":1e1}"#,
        #"{"instruction":"x","category":"c","difficulty":"easy","docker_image":"i","verification_tests":[],"unknown":[1]}"#,
        #"{"instr\u0075ction":"x","category":"c","difficulty":"easy","docker_image":"i","verification_tests":[]}"#,
        #"{"instruction":"x","category":"c","difficulty":"easy","docker_image":"i","verification_tests":[],"initial_files":{"a":"1","a":"2"}}"#,
    ]

    @Test(arguments: leftToJSONDecoder)
    func leavesJSONDecodersOwnFormsToIt(text: String) throws {
        let bytes = Array(text.utf8)
        #expect(Self.direct(bytes) == nil)
        let task = try TaskDefinition(json: bytes)
        #expect(Self.sameExceptFreshDefaults(task, try SynthJSON.decode(TaskDefinition.self, from: bytes), text))
    }

    static let invalid = [
        "", "not json", "{", "[]", "null", #"{"category": "bugfix"}"#,
        #"{"instruction": 5, "category": "b", "difficulty": "easy", "docker_image": "i", "verification_tests": []}"#,
        #"{"instruction": "x", "category": "b", "difficulty": "impossible", "docker_image": "i", "verification_tests": []}"#,
        #"{"instruction": "x", "category": "b", "difficulty": "easy", "docker_image": "i", "verification_tests": [{"name": "t"}]}"#,
        #"{"instruction": "x", "category": "b", "difficulty": "easy", "docker_image": "i", "verification_tests": [], "resource_limits": {"memory_mb": "lots"}}"#,
        #"{"instruction": "x", "category": "b", "difficulty": "easy", "docker_image": "i", "verification_tests": [], "created_at": "yesterday"}"#,
        #"{"instruction": "x", "category": "b", "difficulty": "easy", "docker_image": "i", "verification_tests": [], "max_steps": 1e400}"#,
        #"{"instruction": "x", "category": "b", "difficulty": "easy", "docker_image": "i", "verification_tests": [], "max_steps": 99999999999999999999}"#,
        #"{"instruction": "\ud800", "category": "b", "difficulty": "easy", "docker_image": "i", "verification_tests": []}"#,
        #"{"instruction": "x", "category": "b", "difficulty": "easy", "docker_image": "i", "verification_tests": [], "reward_weights": {"test_pass": 1}}"#,
        #"{"instruction": "x", "category": "b", "difficulty": "easy", "docker_image": "i", "verification_tests": []} trailing"#,
        "{\"instruction\": \"tab\there\", \"category\": \"b\", \"difficulty\": \"easy\", \"docker_image\": \"i\", \"verification_tests\": []}",
    ]

    @Test(arguments: invalid)
    func failsWithJSONDecodersError(text: String) throws {
        let bytes = Array(text.utf8)
        #expect(Self.direct(bytes) == nil)
        let slow = #expect(throws: DecodingError.self) { try SynthJSON.decode(TaskDefinition.self, from: bytes) }
        let fast = #expect(throws: DecodingError.self) { try TaskDefinition(json: bytes) }
        #expect(fast.map { "\($0)" } == slow.map { "\($0)" })
        #expect(fast?.fieldError == slow?.fieldError)
    }

    @Test func failsOnInvalidUTF8AsJSONDecoderDoes() {
        let bytes = Array(#"{"instruction": ""#.utf8) + [0xFF, 0xFE] + Array(#"", "category": "b", "difficulty": "easy", "docker_image": "i", "verification_tests": []}"#.utf8)
        #expect(Self.direct(bytes) == nil)
        #expect(throws: DecodingError.self) { try TaskDefinition(json: bytes) }
    }

    @Test func numbersAreWrittenAsJSONEncoderWritesThem() throws {
        var random = LCG(seed: 7)
        for index in 0..<20_000 {
            let value: Double = switch index % 3 {
            case 0: Double(bitPattern: random.next())
            case 1: Double(Int64(bitPattern: random.next()) >> (random.next() % 64)) / Double(1 << (random.next() % 40))
            default: Double(Int64(bitPattern: random.next()) >> 8)
            }
            guard value.isFinite else { continue }
            var direct: [UInt8] = []
            JSONBytesWriter.number(value, to: &direct)
            #expect(String(decoding: direct, as: UTF8.self) == String(decoding: try SynthJSON.encode(value), as: UTF8.self))
        }
    }

    @Test func nonFiniteNumbersFailAsInJSONEncoder() {
        var task = TaskDefinition(instruction: "x", category: "c", difficulty: .easy, dockerImage: "i", verificationTests: [])
        task.resourceLimits.cpuCores = .infinity
        #expect(throws: EncodingError.self) { try task.json() }
    }
}

/// Seeded, so the generated definitions are the same on every run.
struct LCG {
    private var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return state ^ (state >> 29)
    }
    mutating func below(_ bound: Int) -> Int { Int(next() % UInt64(bound)) }
}
