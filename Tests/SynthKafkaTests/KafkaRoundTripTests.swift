import Foundation
import SynthKafka
import XCTest

final class KafkaRoundTripTests: XCTestCase {
    func testProducedMessagesAreConsumedInPartitionOrderWithKeysAndHeaders() async throws {
        let cluster = try KafkaMockCluster(brokers: 3)
        let topic = "roundtrip"
        try cluster.createTopic(topic, partitions: 4, replicationFactor: 1)
        let producer = try KafkaProducer(configuration: .init(bootstrapServers: cluster.bootstrapServers, clientID: "roundtrip-producer"))

        let count = 200
        let records = (0..<count).map { index in
            KafkaRecord(
                topic: topic,
                key: bytes("key-\(index % 10)"),
                value: bytes("value-\(index)"),
                headers: [("index", bytes("\(index)")), ("binary", [0, 1, 2, 255])]
            )
        }
        let reports = try await withTimeout(.seconds(30), "delivery reports") { try await producer.sendAll(records) }
        XCTAssertEqual(reports.count, count)
        // Same key, same partition.
        for index in 10..<count {
            XCTAssertEqual(reports[index].partition, reports[index % 10].partition)
        }
        XCTAssertGreaterThan(Set(reports.map(\.partition)).count, 1, "keys should spread over partitions")

        let consumer = try KafkaConsumer(configuration: testConsumerConfiguration(cluster.bootstrapServers, group: "roundtrip-group", topics: [topic]))
        let messages = try await collect(count, from: consumer)

        var lastOffsetPerPartition: [Int32: Int64] = [:]
        var lastIndexPerKey: [String: Int] = [:]
        var seenIndexes = Set<Int>()
        for message in messages {
            XCTAssertEqual(message.topic, topic)
            let index = try XCTUnwrap(text(message.value).flatMap { Int($0.dropFirst("value-".count)) })
            seenIndexes.insert(index)
            XCTAssertEqual(text(message.key), "key-\(index % 10)")
            XCTAssertEqual(text(message.header("index")), "\(index)")
            XCTAssertEqual(message.header("binary"), [0, 1, 2, 255])
            XCTAssertEqual(message.headers.map(\.0), ["index", "binary"])
            XCTAssertNotNil(message.timestamp)
            // Where the producer was told it went.
            XCTAssertEqual(message.partition, reports[index].partition)
            XCTAssertEqual(message.offset, reports[index].offset)
            // Offsets contiguous and increasing per partition; per-key order preserved.
            XCTAssertEqual(message.offset, (lastOffsetPerPartition[message.partition] ?? -1) + 1)
            lastOffsetPerPartition[message.partition] = message.offset
            let key = text(message.key)!
            XCTAssertLessThan(lastIndexPerKey[key] ?? -1, index)
            lastIndexPerKey[key] = index
        }
        XCTAssertEqual(seenIndexes, Set(0..<count))

        await consumer.close()
        await producer.shutdown()
        await cluster.close()
    }

    func testSingleSendReturnsConsecutiveOffsetsAndShutdownIsFinal() async throws {
        let cluster = try KafkaMockCluster()
        try cluster.createTopic("single", partitions: 1)
        let producer = try KafkaProducer(configuration: .init(bootstrapServers: cluster.bootstrapServers))
        let first = try await withTimeout(.seconds(20), "first send") {
            try await producer.send(topic: "single", key: nil, value: bytes("a"))
        }
        let second = try await producer.send(topic: "single", key: bytes("k"), value: [], headers: [("h", [])])
        XCTAssertEqual(first.partition, 0)
        XCTAssertEqual(first.offset, 0)
        XCTAssertEqual(second.offset, 1)
        try await producer.flush(timeout: .seconds(5))

        await producer.shutdown()
        await producer.shutdown()  // second call is harmless
        do {
            _ = try await producer.send(topic: "single", key: nil, value: bytes("late"))
            XCTFail("send after shutdown must fail")
        } catch let error as KafkaError {
            XCTAssertEqual(error.code, .clientClosed)
        }
        await cluster.close()
    }

    func testInvalidConfigurationIsReportedWithLibrdkafkasMessage() throws {
        XCTAssertThrowsError(
            try KafkaProducer(configuration: .init(bootstrapServers: "127.0.0.1:1", properties: ["no.such.property": "1"]))
        ) { error in
            let kafkaError = error as? KafkaError
            XCTAssertEqual(kafkaError?.code, .invalidArgument)
            XCTAssertTrue(kafkaError?.message.contains("no.such.property") ?? false, "\(error)")
        }
    }
}
