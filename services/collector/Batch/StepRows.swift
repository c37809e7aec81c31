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
        let chunks = await ParallelChunks.map(order) { chunk in Result { try StepRows(steps, at: chunk) } }
        for chunk in chunks {
            let rows = try chunk.get()
            trajectoryIDs.append(contentsOf: rows.trajectoryIDs)
            stepNumbers.append(contentsOf: rows.stepNumbers)
            transitions.append(contentsOf: rows.transitions)
        }
    }

    /// The rows of `steps` at `positions`, in that order. Read in place through the subscript:
    /// a copied-out StepExecuted costs a retain and a release of each of its fields.
    private init(_ steps: [StepExecuted], at positions: ArraySlice<Int>) throws {
        transitions = PostgresBinaryArray(elementOID: PostgresBinaryArray.jsonOID, reservingCapacity: positions.count * 2_048)
        for position in positions {
            guard let stepNumber = Int32(exactly: steps[position].transition.stepNumber) else {
                throw EncodingError.invalidValue(steps[position].transition.stepNumber,
                                                 .init(codingPath: [], debugDescription: "step number beyond int"))
            }
            try transitions.appendJSON { out in
                // JSONEncoder for a transition the writer refuses (a non-finite number), for its error.
                let start = out.count
                if !steps[position].transition.writeJSON(to: &out) {
                    out.removeSubrange(start...)
                    out += try SynthJSON.encode(steps[position].transition)
                }
            }
            trajectoryIDs.append(text: steps[position].trajectoryID)
            stepNumbers.append(int4: stepNumber)
        }
    }
}
