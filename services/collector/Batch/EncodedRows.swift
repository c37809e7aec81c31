import Foundation
import SynthCommon

/// A batch's rows for one table as the JSON array `jsonb_to_recordset` reads, encoded ahead of
/// the transaction (in parallel chunks) so Postgres never waits on the encoder. Rows are sorted
/// by key, so two writers of overlapping batches take row locks in the same order (no deadlock
/// between collector replicas during a rebalance).
struct EncodedRows: Sendable {
    let json: String
    let count: Int

    init<Row: Encodable & Sendable>(_ rows: [Row]) async throws {
        let chunks = await ParallelChunks.map(rows) { chunk in Result { try SynthJSON.encode(Array(chunk)) } }
        // Each chunk is a JSON array; their elements joined make the batch's array.
        var bytes: [UInt8] = [UInt8(ascii: "[")]
        for chunk in chunks {
            let array = try chunk.get()
            guard array.count > 2 else { continue }
            if bytes.count > 1 { bytes.append(UInt8(ascii: ",")) }
            bytes += array[1..<(array.count - 1)]
        }
        bytes.append(UInt8(ascii: "]"))
        json = String(decoding: bytes, as: UTF8.self)
        count = rows.count
    }

    /// The rows written by hand (`StepRow.writeJSON`), the same JSON JSONEncoder gives.
    static func steps(_ steps: [StepExecuted]) async throws -> EncodedRows {
        let rows = steps.map { StepRow(trajectoryID: $0.trajectoryID, stepNumber: $0.transition.stepNumber, transition: $0.transition) }
            .sorted { ($0.trajectoryID, $0.stepNumber) < ($1.trajectoryID, $1.stepNumber) }
        let chunks = await ParallelChunks.map(rows) { chunk in
            Result {
                var bytes: [UInt8] = []
                bytes.reserveCapacity(chunk.count * 2_048)
                for row in chunk {
                    if !bytes.isEmpty { bytes.append(UInt8(ascii: ",")) }
                    try row.writeJSON(to: &bytes)
                }
                return bytes
            }
        }
        var bytes: [UInt8] = [UInt8(ascii: "[")]
        for chunk in chunks {
            let members = try chunk.get()
            guard !members.isEmpty else { continue }
            if bytes.count > 1 { bytes.append(UInt8(ascii: ",")) }
            bytes += members
        }
        bytes.append(UInt8(ascii: "]"))
        return EncodedRows(json: String(decoding: bytes, as: UTF8.self), count: rows.count)
    }

    private init(json: String, count: Int) {
        self.json = json
        self.count = count
    }

    static func calls(_ calls: [(call: LLMCallRecorded, occurredAt: Date)]) async throws -> EncodedRows {
        try await EncodedRows(calls.map { CallRow($0.call, occurredAt: $0.occurredAt) }.sorted { $0.callID < $1.callID })
    }
}
