import Foundation
import Logging
import ServiceLifecycle
import SynthCommon
import SynthPostgres

/// Moves events from the outbox table to Kafka. Rows are locked with SKIP
/// LOCKED so several api replicas relay in parallel without sending a row
/// twice, and deleted only after Kafka acknowledged them: a crash in between
/// resends (at-least-once; consumers dedupe on event_id).
struct OutboxRelay: Service {
    let database: PostgresClient
    let publisher: EventPublisher
    let logger: Logger
    /// Rows per transaction: a 10,000-task batch is relayed in a few round trips.
    let batchSize = 2000

    func run() async throws {
        await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                do {
                    let sent = try await relayBatch()
                    if sent == 0 { try await Task.sleep(for: .milliseconds(50)) }
                } catch is CancellationError {
                    return
                } catch {
                    logger.warning("outbox_relay_failed", metadata: ["error": "\(error)"])
                    try? await Task.sleep(for: .seconds(1))
                }
            }
        }
    }

    /// One transaction: lock up to `batchSize` rows, hand them all to
    /// librdkafka at once (it batches them per partition), delete them once
    /// every one is acknowledged.
    func relayBatch() async throws -> Int {
        try await database.transaction { connection in
            let rows = try await connection.query(
                "SELECT id, topic, key, encode(payload, 'hex') AS payload FROM outbox ORDER BY id LIMIT \(batchSize) FOR UPDATE SKIP LOCKED")
            if rows.isEmpty { return 0 }
            let events = rows.values.map { row in
                EncodedEvent(topic: row[1] ?? "", key: row[2] ?? "", value: Self.bytes(hex: row[3] ?? ""))
            }
            try await publisher.sendAll(events)
            let ids = rows.values.compactMap { $0[0] }.joined(separator: ",")
            try await connection.query("DELETE FROM outbox WHERE id = ANY('{\(ids)}'::bigint[])")
            return rows.count
        }
    }

    /// Postgres' `encode(bytea, 'hex')`: two lowercase digits a byte.
    static func bytes(hex text: String) -> [UInt8] {
        func nibble(_ digit: UInt8) -> UInt8 { digit >= UInt8(ascii: "a") ? digit - UInt8(ascii: "a") + 10 : digit - UInt8(ascii: "0") }
        var bytes: [UInt8] = []
        var utf8 = text.utf8.makeIterator()
        bytes.reserveCapacity(text.utf8.count / 2)
        while let high = utf8.next(), let low = utf8.next() {
            bytes.append(nibble(high) << 4 | nibble(low))
        }
        return bytes
    }
}
