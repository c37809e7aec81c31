import Foundation
import Testing
@testable import SynthCommon

@Suite("Queue score")
struct PriorityWeightsTests {
    @Test func harderAndScarcerTasksPopFirst() {
        let weights = PriorityWeights(difficulty: 1, category: 2, age: 0.01)
        let now = Date()
        let easy = weights.score(difficulty: Difficulty.easy.level, scarcity: 0, enqueuedAt: now)
        let hard = weights.score(difficulty: Difficulty.hard.level, scarcity: 0, enqueuedAt: now)
        let scarce = weights.score(difficulty: Difficulty.easy.level, scarcity: 1, enqueuedAt: now)
        #expect(hard < easy)
        #expect(scarce < easy)
    }

    @Test func ageingLetsAnOldTaskOvertakeAHarderNewOne() {
        let weights = PriorityWeights(difficulty: 1, category: 0, age: 0.01)
        let now = Date()
        // expert (4) vs easy (1): 3 points apart, 0.01 per second -> 300 s of waiting.
        let oldEasy = weights.score(difficulty: 1, scarcity: 0, enqueuedAt: now.addingTimeInterval(-301))
        let newExpert = weights.score(difficulty: 4, scarcity: 0, enqueuedAt: now)
        #expect(oldEasy < newExpert)
        let youngEasy = weights.score(difficulty: 1, scarcity: 0, enqueuedAt: now.addingTimeInterval(-299))
        #expect(youngEasy > newExpert)
    }
}
