import Foundation
import SynthKafka
import XCTest

struct TimedOut: Error, CustomStringConvertible {
    let what: String
    var description: String { "timed out waiting for \(what)" }
}

/// Runs `body`, failing with `TimedOut` if it takes longer than `timeout`. The caller is
/// resumed at the deadline even if `body` ignores cancellation (e.g. awaits `Task.value`), so
/// every test stays bounded even if the code under test hangs; `body` is cancelled and left
/// behind.
@discardableResult
func withTimeout<Value: Sendable>(
    _ timeout: Duration,
    _ what: String,
    _ body: @escaping @Sendable () async throws -> Value
) async throws -> Value {
    let outcome = FirstOutcome()
    return try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<Value, any Error>) in
        let work = Task {
            do {
                let value = try await body()
                if outcome.claim() { continuation.resume(returning: value) }
            } catch {
                if outcome.claim() { continuation.resume(throwing: error) }
            }
        }
        Task {
            try? await Task.sleep(for: timeout)
            if outcome.claim() {
                work.cancel()
                continuation.resume(throwing: TimedOut(what: what))
            }
        }
    }
}

/// Lets exactly one of several racing parties resume a continuation.
final class FirstOutcome: @unchecked Sendable {
    // Safe to share: `claimed` is only accessed with `lock` held.
    private let lock = NSLock()
    private var claimed = false

    func claim() -> Bool {
        lock.lock()
        defer { lock.unlock() }
        if claimed { return false }
        claimed = true
        return true
    }
}

/// Reads exactly `count` messages from the consumer, or throws `TimedOut`.
func collect(_ count: Int, from consumer: KafkaConsumer, within timeout: Duration = .seconds(30)) async throws -> [KafkaMessage] {
    try await withTimeout(timeout, "\(count) messages") {
        var received: [KafkaMessage] = []
        for try await message in consumer.messages {
            received.append(message)
            if received.count == count { break }
        }
        guard received.count == count else { throw TimedOut(what: "\(count) messages, sequence ended after \(received.count)") }
        return received
    }
}

/// Asserts that no further message arrives within `window`.
func assertNoMessage(from consumer: KafkaConsumer, within window: Duration, file: StaticString = #filePath, line: UInt = #line) async throws {
    do {
        let extra = try await withTimeout(window, "an unexpected message") { () -> KafkaMessage? in
            var iterator = consumer.messages.makeAsyncIterator()
            return try await iterator.next()
        }
        if let extra {
            XCTFail("unexpected message \(extra.topic)[\(extra.partition)]@\(extra.offset)", file: file, line: line)
        }
    } catch is TimedOut {
        // Expected: nothing arrived.
    }
}

func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

func text(_ bytes: [UInt8]?) -> String? { bytes.map { String(decoding: $0, as: UTF8.self) } }

/// Short sessions: the mock cluster waits `session.timeout.ms - 1 s` for members on every
/// rebalance of a non-empty group. No close grace by default: most tests leave messages
/// uncommitted on purpose.
func testConsumerConfiguration(
    _ bootstrap: String, group: String, topics: [String], closeGracePeriod: Duration = .zero
) -> KafkaConsumerConfiguration {
    KafkaConsumerConfiguration(
        bootstrapServers: bootstrap,
        groupID: group,
        topics: topics,
        clientID: "synth-kafka-tests",
        sessionTimeout: .seconds(6),
        commitTimeout: .seconds(10),
        closeGracePeriod: closeGracePeriod
    )
}

/// A flag set from one task and read from another.
final class Flag: @unchecked Sendable {
    // Safe to share: `value` is only accessed with `lock` held.
    private let lock = NSLock()
    private var value = false

    func set() {
        lock.lock()
        value = true
        lock.unlock()
    }

    var isSet: Bool {
        lock.lock()
        defer { lock.unlock() }
        return value
    }
}
