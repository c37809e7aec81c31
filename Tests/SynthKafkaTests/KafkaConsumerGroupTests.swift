import Foundation
import SynthKafka
import XCTest

final class KafkaConsumerGroupTests: XCTestCase {
    /// Commit, close, and a new member of the same group resumes exactly after the committed
    /// offsets: committed messages are not redelivered, uncommitted ones are (at-least-once).
    func testNewMemberResumesAfterCommittedOffsets() async throws {
        let cluster = try KafkaMockCluster()
        let topic = "resume"
        let group = "resume-group"
        try cluster.createTopic(topic, partitions: 2)
        let producer = try KafkaProducer(configuration: .init(bootstrapServers: cluster.bootstrapServers))
        let records = (0..<40).map { index in
            KafkaRecord(topic: topic, value: bytes("\(index)"), partition: Int32(index % 2))
        }
        try await withTimeout(.seconds(30), "delivery") { try await producer.sendAll(records) }

        let first = try KafkaConsumer(configuration: testConsumerConfiguration(cluster.bootstrapServers, group: group, topics: [topic]))
        let firstRound = try await collect(40, from: first)
        let partition0 = firstRound.filter { $0.partition == 0 }.sorted { $0.offset < $1.offset }
        let partition1 = firstRound.filter { $0.partition == 1 }.sorted { $0.offset < $1.offset }
        XCTAssertEqual(partition0.count, 20)
        XCTAssertEqual(partition1.count, 20)
        // Batch commit: the highest offset among offsets 0...9 wins (next to read: 10).
        try await first.commit(partition0[0..<10].shuffled())
        // Single commit: offset 14 processed (next to read: 15).
        try await first.commit(partition1[14])
        await first.close()
        await first.close()  // idempotent

        let admin = try KafkaAdmin(bootstrapServers: cluster.bootstrapServers)
        let committed = try await admin.committedOffsets(group: group, topic: topic)
        XCTAssertEqual(committed, [0: 10, 1: 15])

        let second = try KafkaConsumer(configuration: testConsumerConfiguration(cluster.bootstrapServers, group: group, topics: [topic]))
        let secondRound = try await collect(15, from: second)
        let resumed0 = secondRound.filter { $0.partition == 0 }.map(\.offset)
        let resumed1 = secondRound.filter { $0.partition == 1 }.map(\.offset)
        XCTAssertEqual(resumed0, Array(10..<20), "uncommitted messages of partition 0 are redelivered, committed ones are not")
        XCTAssertEqual(resumed1, Array(15..<20))
        try await assertNoMessage(from: second, within: .seconds(2))

        await second.close()
        // The sequence is finished after close.
        let afterClose = try await withTimeout(.seconds(5), "end of sequence") {
            var iterator = second.messages.makeAsyncIterator()
            return try await iterator.next()
        }
        XCTAssertNil(afterClose)
        do {
            try await second.commit(secondRound[0])
            XCTFail("commit after close must fail")
        } catch let error as KafkaError {
            XCTAssertEqual(error.code, .clientClosed)
        }

        await admin.close()
        await producer.shutdown()
        await cluster.close()
    }

    func testLagIsHighWatermarkMinusCommittedOffset() async throws {
        let cluster = try KafkaMockCluster()
        let topic = "lag"
        let group = "lag-group"
        try cluster.createTopic(topic, partitions: 3)
        let producer = try KafkaProducer(configuration: .init(bootstrapServers: cluster.bootstrapServers))
        let records = (0..<30).map { KafkaRecord(topic: topic, value: bytes("\($0)"), partition: Int32($0 % 3)) }
        try await withTimeout(.seconds(30), "delivery") { try await producer.sendAll(records) }

        let admin = try KafkaAdmin(bootstrapServers: cluster.bootstrapServers)
        let partitions = try await admin.partitions(of: topic)
        XCTAssertEqual(partitions, [0, 1, 2])
        let highWatermarks = try await admin.highWatermarks(topic: topic)
        XCTAssertEqual(highWatermarks, [0: 10, 1: 10, 2: 10])
        let lagBefore = try await admin.lag(group: group, topic: topic)
        XCTAssertEqual(lagBefore, [0: 10, 1: 10, 2: 10], "a group that never committed lags by everything")

        let consumer = try KafkaConsumer(configuration: testConsumerConfiguration(cluster.bootstrapServers, group: group, topics: [topic]))
        let messages = try await collect(30, from: consumer)
        try await consumer.commit(messages.filter { $0.partition == 0 && $0.offset == 4 })  // next: 5
        try await consumer.commit(messages.filter { $0.partition == 1 })                    // next: 10
        let lagAfter = try await admin.lag(group: group, topic: topic)
        XCTAssertEqual(lagAfter, [0: 5, 1: 0, 2: 10])

        do {
            _ = try await admin.lag(group: group, topic: "no-such-topic")
            XCTFail("lag of an unknown topic must fail")
        } catch let error as KafkaError {
            XCTAssertEqual(error.code, .unknownTopicOrPartition)
        }

        await consumer.close()
        await admin.close()
        await producer.shutdown()
        await cluster.close()
    }
}
