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
    let batchSize = 500

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

    func relayBatch() async throws -> Int {
        try await database.transaction { connection in
            let rows = try await connection.query(
                "SELECT id, topic, key, encode(payload, 'base64') AS payload FROM outbox ORDER BY id LIMIT \(batchSize) FOR UPDATE SKIP LOCKED")
            if rows.isEmpty { return 0 }
            let events = rows.map { row in
                EncodedEvent(topic: row["topic"]!, key: row["key"]!,
                             value: Array(Data(base64Encoded: row["payload"]!.replacingOccurrences(of: "\n", with: "")) ?? Data()))
            }
            try await withThrowingTaskGroup(of: Void.self) { group in
                for event in events { group.addTask { try await publisher.send(event) } }
                try await group.waitForAll()
            }
            let ids = rows.compactMap { $0["id"] }.joined(separator: ",")
            try await connection.query("DELETE FROM outbox WHERE id IN (\(ids))")
            return rows.count
        }
    }
}
