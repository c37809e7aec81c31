import Foundation
import XCTest

@testable import SynthKafka

final class MessageBufferTests: XCTestCase {
    private func message(_ offset: Int64) -> KafkaMessage {
        KafkaMessage(topic: "t", partition: 0, offset: offset, value: [])
    }

    func testPollSideWaitsWhileFullAndResumesWhenTheConsumerTakesOne() async throws {
        let buffer = MessageBuffer(capacity: 2)
        XCTAssertTrue(buffer.waitForSpace(timeout: 0.01))
        buffer.push(message(0))
        buffer.push(message(1))
        let started = Date()
        XCTAssertFalse(buffer.waitForSpace(timeout: 0.2), "a full buffer must hold the poll thread back")
        XCTAssertGreaterThanOrEqual(Date().timeIntervalSince(started), 0.15)

        let first = try await buffer.next()
        XCTAssertEqual(first?.offset, 0)
        XCTAssertTrue(buffer.waitForSpace(timeout: 0.01))
        buffer.push(message(2))
        let rest = [try await buffer.next(), try await buffer.next()].map { $0?.offset }
        XCTAssertEqual(rest, [1, 2])
    }

    func testWaitingIteratorGetsPushedMessageAndEndsOnFinish() async throws {
        let buffer = MessageBuffer(capacity: 4)
        let waiter = Task { try await buffer.next() }
        try await Task.sleep(for: .milliseconds(50))
        buffer.push(message(7))
        let delivered = try await withTimeout(.seconds(5), "the pushed message") { try await waiter.value }
        XCTAssertEqual(delivered?.offset, 7)

        buffer.push(message(8))
        buffer.finish()
        let afterFinish = try await buffer.next()
        XCTAssertNil(afterFinish, "finish drops undelivered messages (they were not committed)")
    }

    func testCancelledIteratorReturnsNil() async throws {
        let buffer = MessageBuffer(capacity: 4)
        let waiter = Task { try await buffer.next() }
        try await Task.sleep(for: .milliseconds(50))
        waiter.cancel()
        let result = try await withTimeout(.seconds(5), "the cancelled iterator") { try await waiter.value }
        XCTAssertNil(result)
        // The buffer still works for others.
        buffer.push(message(1))
        let next = try await buffer.next()
        XCTAssertEqual(next?.offset, 1)
    }

    func testFinishWithErrorThrowsOnceThenEnds() async throws {
        let buffer = MessageBuffer(capacity: 4)
        buffer.finish(throwing: KafkaError(code: .fatal, message: "boom"))
        do {
            _ = try await buffer.next()
            XCTFail("expected the terminal error")
        } catch let error as KafkaError {
            XCTAssertEqual(error.code, .fatal)
        }
        let after = try await buffer.next()
        XCTAssertNil(after)
    }

    func testDiscardDropsOnlyMatchingMessages() async throws {
        let buffer = MessageBuffer(capacity: 10)
        for offset in 0..<4 { buffer.push(KafkaMessage(topic: "t", partition: Int32(offset % 2), offset: Int64(offset), value: [])) }
        XCTAssertEqual(buffer.discard { $0.partition == 1 }, 2)
        let remaining = [try await buffer.next(), try await buffer.next()].map { $0?.offset }
        XCTAssertEqual(remaining, [0, 2])
    }

    func testTakeDrainsBufferedMessagesInOrderUpToTheLimitAndReportsThemHandedOut() async throws {
        let handedOut = LockedState<[Int64]>([])
        let buffer = MessageBuffer(capacity: 2) { message in handedOut.withLock { $0.append(message.offset) } }
        XCTAssertEqual(buffer.take(upTo: 10).count, 0, "take never waits for a message")
        buffer.push(message(0))
        buffer.push(message(1))
        XCTAssertFalse(buffer.waitForSpace(timeout: 0.01))
        XCTAssertEqual(buffer.take(upTo: 1).map(\.offset), [0])
        XCTAssertTrue(buffer.waitForSpace(timeout: 0.01), "taking makes room for the poll thread")
        buffer.push(message(2))
        XCTAssertEqual(buffer.take(upTo: 10).map(\.offset), [1, 2])
        XCTAssertEqual(handedOut.withLock { $0 }, [0, 1, 2], "close() must know about every message handed out")
        buffer.push(message(3))
        buffer.finish()
        XCTAssertEqual(buffer.take(upTo: 10).count, 0, "finish drops undelivered messages")
    }
}
