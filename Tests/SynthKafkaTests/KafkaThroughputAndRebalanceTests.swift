import Foundation
import SynthKafka
import XCTest

final class KafkaThroughputAndRebalanceTests: XCTestCase {
    /// More records than librdkafka's local queue holds: `sendAll` waits for space instead of
    /// failing with `_QUEUE_FULL`, and concurrent single sends interleave safely.
    func testSendAllLargerThanTheLocalQueueAndConcurrentSends() async throws {
        let cluster = try KafkaMockCluster()
        try cluster.createTopic("bulk", partitions: 3)
        let producer = try KafkaProducer(configuration: .init(
            bootstrapServers: cluster.bootstrapServers,
            properties: ["queue.buffering.max.messages": "500"]
        ))
        let payload = [UInt8](repeating: 42, count: 100)
        let records = (0..<20_000).map { KafkaRecord(topic: "bulk", key: bytes("\($0 % 64)"), value: payload) }
        let started = ContinuousClock.now
        let reports = try await withTimeout(.seconds(60), "20k deliveries") { try await producer.sendAll(records) }
        let elapsed = ContinuousClock.now - started
        print("sendAll: 20000 x 100 B in \(elapsed)")
        XCTAssertEqual(reports.count, records.count)
        // Every offset of every partition used exactly once.
        for partition in Int32(0)..<3 {
            let offsets = reports.filter { $0.partition == partition }.map(\.offset).sorted()
            XCTAssertEqual(offsets, Array(0..<Int64(offsets.count)))
        }

        let concurrent = try await withTimeout(.seconds(30), "concurrent sends") {
            try await withThrowingTaskGroup(of: (partition: Int32, offset: Int64).self) { group in
                for index in 0..<300 {
                    group.addTask {
                        try await producer.send(topic: "bulk", key: bytes("c\(index)"), value: payload)
                    }
                }
                return try await group.reduce(into: [(partition: Int32, offset: Int64)]()) { $0.append($1) }
            }
        }
        XCTAssertEqual(Set(concurrent.map { "\($0.partition)/\($0.offset)" }).count, 300, "no two sends share an offset")
        await producer.shutdown()
        await cluster.close()
    }

    /// A second member joining splits the partitions; between them the two members read every
    /// message once, each partition from only one member.
    func testTwoMembersShareThePartitions() async throws {
        let cluster = try KafkaMockCluster()
        let topic = "shared"
        try cluster.createTopic(topic, partitions: 4)
        let producer = try KafkaProducer(configuration: .init(bootstrapServers: cluster.bootstrapServers))
        let configuration = testConsumerConfiguration(cluster.bootstrapServers, group: "shared-group", topics: [topic])

        let first = try KafkaConsumer(configuration: configuration)
        // Wait until the first member owns everything (a first message proves it has joined).
        try await producer.send(KafkaRecord(topic: topic, value: bytes("warm-up"), partition: 0))
        let warmUp = try await collect(1, from: first)
        try await first.commit(warmUp[0])

        let second = try KafkaConsumer(configuration: configuration)
        // The rebalance completes once both members have rejoined; until then nothing is
        // assigned to `second`. Produce after giving it time (mock: session timeout - 1 s).
        try await Task.sleep(for: .seconds(7))
        let records = (0..<40).map { KafkaRecord(topic: topic, value: bytes("\($0)"), partition: Int32($0 % 4)) }
        try await withTimeout(.seconds(20), "delivery") { try await producer.sendAll(records) }

        let collected = try await withTimeout(.seconds(30), "both members' messages") {
            try await withThrowingTaskGroup(of: [(member: Int, message: KafkaMessage)].self) { group in
                for (member, consumer) in [first, second].enumerated() {
                    group.addTask {
                        var received: [(member: Int, message: KafkaMessage)] = []
                        for try await message in consumer.messages {
                            received.append((member, message))
                            if received.count == 20 { break }
                        }
                        return received
                    }
                }
                return try await group.reduce(into: []) { $0 += $1 }
            }
        }
        let values = collected.map { text($0.message.value)! }
        XCTAssertEqual(Set(values), Set((0..<40).map { "\($0)" }))
        XCTAssertEqual(values.count, 40, "no duplicates")
        var ownerOfPartition: [Int32: Int] = [:]
        for entry in collected {
            if let owner = ownerOfPartition[entry.message.partition] {
                XCTAssertEqual(owner, entry.member, "partition \(entry.message.partition) read by both members")
            }
            ownerOfPartition[entry.message.partition] = entry.member
        }
        XCTAssertEqual(Set(ownerOfPartition.values), [0, 1], "both members own partitions")

        await first.close()
        await second.close()
        await producer.shutdown()
        await cluster.close()
    }
}
