import Foundation
import SynthKafka
import XCTest

/// `close()` from a graceful-shutdown handler while a message is being processed.
final class KafkaConsumerCloseTests: XCTestCase {
    private func clusterWithMessages(_ topic: String, count: Int) async throws -> (KafkaMockCluster, KafkaProducer) {
        let cluster = try KafkaMockCluster()
        try cluster.createTopic(topic, partitions: 1)
        let producer = try KafkaProducer(configuration: .init(bootstrapServers: cluster.bootstrapServers))
        let records = (0..<count).map { KafkaRecord(topic: topic, value: bytes("\($0)")) }
        try await withTimeout(.seconds(20), "delivery") { try await producer.sendAll(records) }
        return (cluster, producer)
    }

    func testCloseLetsTheMessageInHandBeCommittedFirst() async throws {
        let (cluster, producer) = try await clusterWithMessages("close-grace", count: 3)
        let consumer = try KafkaConsumer(configuration: testConsumerConfiguration(
            cluster.bootstrapServers, group: "close-grace", topics: ["close-grace"], closeGracePeriod: .seconds(15)))
        let inHand = try await collect(1, from: consumer)[0]
        XCTAssertEqual(inHand.offset, 0)

        let closed = Flag()
        let closing = Task {
            await consumer.close()
            closed.set()
        }
        try await Task.sleep(for: .milliseconds(500))
        XCTAssertFalse(closed.isSet, "close waits for the message in hand")
        // The sequence has ended already: no new work is handed out while closing.
        let next = try await withTimeout(.seconds(5), "end of sequence") {
            var iterator = consumer.messages.makeAsyncIterator()
            return try await iterator.next()
        }
        XCTAssertNil(next)

        let committedAt = ContinuousClock.now
        try await consumer.commit(inHand)
        await closing.value
        XCTAssertLessThan(ContinuousClock.now - committedAt, .seconds(5), "close finishes once everything handed out is committed")

        let admin = try KafkaAdmin(bootstrapServers: cluster.bootstrapServers)
        let committed = try await admin.committedOffsets(group: "close-grace", topic: "close-grace")
        XCTAssertEqual(committed, [0: 1])
        await admin.close()
        await producer.shutdown()
        await cluster.close()
    }

    func testCloseGivesUpAfterTheGracePeriod() async throws {
        let (cluster, producer) = try await clusterWithMessages("close-timeout", count: 2)
        let consumer = try KafkaConsumer(configuration: testConsumerConfiguration(
            cluster.bootstrapServers, group: "close-timeout", topics: ["close-timeout"], closeGracePeriod: .seconds(1)))
        let inHand = try await collect(1, from: consumer)[0]
        let started = ContinuousClock.now
        try await withTimeout(.seconds(10), "close") { await consumer.close() }
        XCTAssertGreaterThanOrEqual(ContinuousClock.now - started, .milliseconds(900))
        do {
            try await consumer.commit(inHand)
            XCTFail("commits after the grace period must fail")
        } catch let error as KafkaError {
            XCTAssertEqual(error.code, .clientClosed)
        }
        await producer.shutdown()
        await cluster.close()
    }
}
