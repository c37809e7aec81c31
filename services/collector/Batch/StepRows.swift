import Foundation
import SynthCommon
import SynthPostgres

/// A batch's rows of `transitions` as the three binary arrays `unnest($1::text[], $2::int[],
/// $3::json[])` reads (`TrajectoryWrites.record(steps:)`), built ahead of the transaction in
/// parallel chunks so Postgres never waits on the encoder. Each transition is written once, by
/// hand (`Transition.writeJSON`, the bytes JSONEncoder gives), straight into its array: no JSON
/// array of rows for Postgres to parse as a whole, no String. Rows are sorted by key, so two
/// writers of overlapping batches take row locks in the same order (no deadlock between
/// collector replicas during a rebalance).
struct StepRows: Sendable {
    var trajectoryIDs = PostgresBinaryArray(elementOID: PostgresBinaryArray.textOID)
    var stepNumbers = PostgresBinaryArray(elementOID: PostgresBinaryArray.int4OID)
    var transitions = PostgresBinaryArray(elementOID: PostgresBinaryArray.jsonOID)

    var count: Int { transitions.count }

    init(_ steps: [StepExecuted]) async throws {
        // The positions are sorted, not the steps: moving a StepExecuted retains all its fields.
        let order = steps.indices.sorted {
            (steps[$0].trajectoryID, steps[$0].transition.stepNumber) < (steps[$1].trajectoryID, steps[$1].transition.stepNumber)
        }
        let chunks = await ParallelChunks.map(order) { chunk in Result { try StepRows(chunk: chunk.lazy.map { steps[$0] }) } }
        for chunk in chunks {
            let rows = try chunk.get()
            trajectoryIDs.append(contentsOf: rows.trajectoryIDs)
            stepNumbers.append(contentsOf: rows.stepNumbers)
            transitions.append(contentsOf: rows.transitions)
        }
    }

    private init(chunk: some Collection<StepExecuted>) throws {
        transitions = PostgresBinaryArray(elementOID: PostgresBinaryArray.jsonOID, reservingCapacity: chunk.count * 2_048)
        for step in chunk {
            guard let stepNumber = Int32(exactly: step.transition.stepNumber) else {
                throw EncodingError.invalidValue(step.transition.stepNumber, .init(codingPath: [], debugDescription: "step number beyond int"))
            }
            try transitions.appendJSON { out in
                // JSONEncoder for a transition the writer refuses (a non-finite number), for its error.
                let start = out.count
                if !step.transition.writeJSON(to: &out) {
                    out.removeSubrange(start...)
                    out += try SynthJSON.encode(step.transition)
                }
            }
            trajectoryIDs.append(text: step.trajectoryID)
            stepNumbers.append(int4: stepNumber)
        }
    }
}
