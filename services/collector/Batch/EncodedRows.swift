import Foundation
import SynthCommon

/// A batch's rows for one table as the JSON array `jsonb_to_recordset` reads (the model calls;
/// the steps go as binary arrays, `StepRows`), encoded ahead of the transaction in parallel
/// chunks so Postgres never waits on the encoder. Kept as jsonb's binary input (a version byte,
/// then the JSON text) so the bytes reach libpq as they are. Rows are sorted by key, so two
/// writers of overlapping batches take row locks in the same order (no deadlock between
/// collector replicas during a rebalance).
struct EncodedRows: Sendable {
    /// The binary jsonb parameter: version byte 1, then the array's JSON.
    let jsonb: [UInt8]
    let count: Int

    /// The JSON array, as JSONEncoder writes it.
    var json: ArraySlice<UInt8> { jsonb.dropFirst() }

    init<Row: Encodable & Sendable>(_ rows: [Row]) async throws {
        let chunks = await ParallelChunks.map(rows) { chunk in Result { try SynthJSON.encode(Array(chunk)) } }
        // Each chunk is a JSON array; their elements joined make the batch's array.
        var bytes: [UInt8] = [1, UInt8(ascii: "[")]
        for chunk in chunks {
            let array = try chunk.get()
            guard array.count > 2 else { continue }
            if bytes.count > 2 { bytes.append(UInt8(ascii: ",")) }
            bytes += array[1..<(array.count - 1)]
        }
        bytes.append(UInt8(ascii: "]"))
        jsonb = bytes
        count = rows.count
    }

    static func calls(_ calls: [(call: LLMCallRecorded, occurredAt: Date)]) async throws -> EncodedRows {
        try await EncodedRows(calls.map { CallRow($0.call, occurredAt: $0.occurredAt) }.sorted { $0.callID < $1.callID })
    }
}
