import Foundation
import Testing
@testable import SynthCommon

@Suite("Task JSON wire format")
struct TaskDefinitionJSONTests {
    static let minimal = """
        {"instruction": "Fix the bug", "category": "bugfix", "difficulty": "easy", "docker_image": "synth-python:bookworm",
         "verification_tests": [{"name": "hidden", "command": "python3 -m pytest -q"}],
         "reference_solution": [{"tool": "bash", "arguments": {"command": "true"}}]}
        """

    @Test func minimalTaskTakesDocumentedDefaults() throws {
        let task = try SynthJSON.decode(TaskDefinition.self, from: Array(Self.minimal.utf8))
        #expect(task.difficulty == .easy)
        #expect(task.timeoutSeconds == 600)
        #expect(task.scaffold == "minimal")
        #expect(task.llmModel == "oracle")
        #expect(task.maxSteps == 30)
        #expect(task.resourceLimits == ResourceLimits())
        #expect(task.antiHardcoding.hashTestFiles)
        #expect(task.verificationTests[0].files.isEmpty)
        #expect(UUID(uuidString: task.id) != nil)
        #expect(task.validationErrors().isEmpty)
    }

    @Test func roundTripKeepsEveryFieldWithSnakeCaseKeys() throws {
        var task = TaskDefinition(instruction: "Add median()", category: "feature", difficulty: .hard, dockerImage: "img:1",
                                  initialFiles: ["calc/stats.py": "def mean(x): ...\n", "ünïcode/名前.py": "x = '✓'\n"],
                                  verificationTests: [TestSpec(name: "hidden", command: "pytest", files: ["tests/t.py": "assert 1\n"])],
                                  referenceSolution: [ToolCallSpec(tool: "edit", arguments: ["path": .string("a.py"), "old_str": .string(""),
                                                                                               "new_str": .string("x")])])
        task.tags = ["python", "math"]
        task.createdAt = Date(timeIntervalSince1970: 1_764_000_000.125)  // the wire keeps milliseconds
        task.externalID = "stats-1"
        task.rewardWeights = RewardWeights(testPass: 1, compilation: 0, progress: 0, efficiency: 0, codeQuality: 0)
        let bytes = try SynthJSON.encode(task)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any])
        for key in ["docker_image", "initial_files", "verification_tests", "timeout_seconds", "anti_hardcoding", "estimated_steps",
                    "reference_solution", "external_id", "reward_weights", "created_at", "resource_limits", "max_steps", "llm_model"] {
            #expect(object[key] != nil, "missing key \(key)")
        }
        let decoded = try SynthJSON.decode(TaskDefinition.self, from: bytes)
        #expect(decoded == task)
    }

    @Test func timestampsAreISO8601WithMillisecondsInUTC() throws {
        let date = Date(timeIntervalSince1970: 1_764_000_000.25)
        let text = SynthJSON.formatTimestamp(date)
        #expect(text == "2025-11-24T16:00:00.250Z")
        #expect(SynthJSON.parseTimestamp(text) == date)
        #expect(SynthJSON.parseTimestamp("2025-11-24T16:00:00Z") == Date(timeIntervalSince1970: 1_764_000_000))
    }

    @Test(arguments: [
        (#"{"category": "bugfix"}"#, "instruction", "is required"),
        (#"{"instruction": 5, "category": "b", "difficulty": "easy", "docker_image": "i", "verification_tests": []}"#, "instruction", "expected a string"),
        (#"{"instruction": "x", "category": "b", "difficulty": "impossible", "docker_image": "i", "verification_tests": []}"#, "difficulty", "is not one of easy, medium, hard, expert"),
        (#"{"instruction": "x", "category": "b", "difficulty": "easy", "docker_image": "i", "verification_tests": [{"name": "t"}]}"#,
         "verification_tests[0].command", "is required"),
        (#"{"instruction": "x", "category": "b", "difficulty": "easy", "docker_image": "i", "verification_tests": [], "resource_limits": {"memory_mb": "lots"}}"#,
         "resource_limits.memory_mb", "expected an integer"),
        ("not json", "body", "is not valid JSON"),
    ])
    func decodingErrorsNameTheField(body: String, field: String, message: String) throws {
        do {
            _ = try SynthJSON.decode(TaskDefinition.self, from: Array(body.utf8))
            Issue.record("decoding should have failed")
        } catch let error as DecodingError {
            #expect(error.fieldError.field == field)
            #expect(error.fieldError.message.contains(message))
        }
    }

    @Test func validationReportsEverySemanticProblem() throws {
        var task = try SynthJSON.decode(TaskDefinition.self, from: Array(Self.minimal.utf8))
        task.instruction = "  "
        task.initialFiles = ["../escape.py": "x"]
        task.timeoutSeconds = 0
        task.estimatedSteps = StepRange(min: 5, max: 2)
        task.scaffold = "nonexistent"
        task.referenceSolution = nil
        let fields = Set(task.validationErrors().map(\.field))
        #expect(fields == ["instruction", "initial_files", "timeout_seconds", "estimated_steps", "scaffold", "reference_solution"])
    }

    @Test func pathsMustStayInsideTheWorkspace() {
        #expect(TaskDefinition.isSafeRelativePath("src/a.py"))
        #expect(!TaskDefinition.isSafeRelativePath("/etc/passwd"))
        #expect(!TaskDefinition.isSafeRelativePath("a/../../b"))
        #expect(!TaskDefinition.isSafeRelativePath(""))
    }
}
