import Foundation
import SynthKafka
import XCTest

/// What librdkafka 2.0.2 actually does when the partition leader is unreachable.
///
/// librdkafka retries a refused connection with exponential backoff up to
/// `reconnect.backoff.max.ms` (default 10 s), and only notices a message timeout between
/// attempts, so both "recovered" and "timed out" can lag by that much. The tests cap it at 1 s.
final class KafkaFaultInjectionTests: XCTestCase {
    private let fastReconnect = ["reconnect.backoff.max.ms": "1000"]

    /// With the default `message.timeout.ms` (5 minutes) a send to a down broker waits, and
    /// succeeds once the broker is back: no error surfaces, and the offset continues.
    func testSendWaitsForADownBrokerAndSucceedsWhenItIsBack() async throws {
        let cluster = try KafkaMockCluster()
        try cluster.createTopic("faults", partitions: 1)
        let producer = try KafkaProducer(configuration: .init(bootstrapServers: cluster.bootstrapServers, properties: fastReconnect))
        let warmUp = try await withTimeout(.seconds(20), "warm-up send") {
            try await producer.send(topic: "faults", key: nil, value: bytes("before"))
        }
        XCTAssertEqual(warmUp.offset, 0)

        try cluster.setBroker(1, up: false)
        let finished = Flag()
        let pending = Task {
            defer { finished.set() }
            return try await producer.send(topic: "faults", key: nil, value: bytes("during"))
        }
        try await Task.sleep(for: .seconds(2))
        XCTAssertFalse(finished.isSet, "the send must still be waiting while the broker is down")

        try cluster.setBroker(1, up: true)
        let delivered = try await withTimeout(.seconds(20), "delivery after the broker came back") { try await pending.value }
        XCTAssertEqual(delivered.partition, 0)
        XCTAssertEqual(delivered.offset, 1)

        await producer.shutdown()
        await cluster.close()
    }

    /// With a short `message.timeout.ms`, the same situation fails clearly with `_MSG_TIMED_OUT`.
    func testSendToADownBrokerFailsWithMessageTimeout() async throws {
        let cluster = try KafkaMockCluster()
        try cluster.createTopic("faults", partitions: 1)
        let producer = try KafkaProducer(configuration: .init(
            bootstrapServers: cluster.bootstrapServers,
            properties: fastReconnect.merging(["message.timeout.ms": "2000"]) { $1 },
            shutdownFlushTimeout: .seconds(1)
        ))
        _ = try await withTimeout(.seconds(20), "warm-up send") {
            try await producer.send(topic: "faults", key: nil, value: bytes("before"))
        }
        try cluster.setBroker(1, up: false)
        let started = ContinuousClock.now
        do {
            _ = try await withTimeout(.seconds(20), "the failure") {
                try await producer.send(topic: "faults", key: nil, value: bytes("lost"))
            }
            XCTFail("delivery to a broker that stays down must fail")
        } catch let error as KafkaError {
            XCTAssertEqual(error.code, .messageTimedOut, "\(error)")
            XCTAssertFalse(error.message.isEmpty)
            XCTAssertGreaterThanOrEqual(ContinuousClock.now - started, .milliseconds(1500))
        }
        await producer.shutdown()
        await cluster.close()
    }

    /// Messages still queued when shutdown gives up are failed, not left hanging.
    func testShutdownFailsMessagesThatCannotBeDelivered() async throws {
        let cluster = try KafkaMockCluster()
        try cluster.createTopic("faults", partitions: 1)
        let producer = try KafkaProducer(configuration: .init(
            bootstrapServers: cluster.bootstrapServers,
            shutdownFlushTimeout: .milliseconds(500)
        ))
        _ = try await withTimeout(.seconds(20), "warm-up send") {
            try await producer.send(topic: "faults", key: nil, value: bytes("before"))
        }
        try cluster.setBroker(1, up: false)
        let pending = Task { try await producer.send(topic: "faults", key: nil, value: bytes("stuck")) }
        try await Task.sleep(for: .milliseconds(300))
        try await withTimeout(.seconds(15), "shutdown") { await producer.shutdown() }
        do {
            _ = try await withTimeout(.seconds(5), "the purged send") { try await pending.value }
            XCTFail("a message purged at shutdown must not report success")
        } catch let error as KafkaError {
            XCTAssertTrue([.purgedFromQueue, .purgedInFlight, .clientClosed].contains(error.code), "\(error)")
        }
        await cluster.close()
    }
}
