import Foundation
import SynthCommon

/// The items of `POST /api/v1/tasks/batch`: a JSON array, or JSON Lines, of
/// tasks. Usually decoded in one pass by JSONDecoder (`elements`); a body
/// that may hold a NUL character goes through JSONSerialization first
/// (`guarded`), so the error names the field that holds it (JSONGuards).
enum BatchBody {
    case elements([BatchElement])
    case guarded(items: [Data], parsed: [Any]?)

    static let notABatch = APIError(status: .badRequest, code: "invalid_batch", field: "body",
                                    message: "body: must be a JSON array of tasks, or JSON Lines with Content-Type application/x-ndjson")

    init(_ data: Data, jsonLines: Bool) throws {
        self = BatchElement.mayHoldNUL(data) ? try .guarded(data, jsonLines: jsonLines) : try .decoded(data, jsonLines: jsonLines)
    }

    /// Every element decoded in place by one JSONDecoder pass (a line at a
    /// time for JSON Lines).
    /// TaskDefinition's direct byte reader goes first; it takes on only
    /// documents whose value JSONDecoder would give too, and for anything else
    /// (an invalid item, an unknown member) the JSONDecoder pass decides, so
    /// the values and errors are the same either way.
    static func decoded(_ data: Data, jsonLines: Bool) throws -> BatchBody {
        let decoder = SynthJSON.decoder
        if jsonLines {
            return .elements(lines(of: data).map { line in
                if let task = line.withUnsafeBytes({ TaskDefinition(directJSON: $0) }) { return BatchElement(task) }
                return (try? decoder.decode(BatchElement.self, from: line)) ?? .unreadable
            })
        }
        if let tasks = data.withUnsafeBytes({ TaskDefinition.directArray(json: $0) }) { return .elements(tasks.map(BatchElement.init)) }
        guard let elements = try? decoder.decode([BatchElement].self, from: data) else { throw notABatch }
        return .elements(elements)
    }

    /// Each element parsed by JSONSerialization, checked for NUL, then decoded.
    static func guarded(_ data: Data, jsonLines: Bool) throws -> BatchBody {
        if jsonLines { return .guarded(items: lines(of: data), parsed: nil) }
        guard let array = try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed]) as? [Any] else { throw notABatch }
        return .guarded(items: try array.map { try JSONSerialization.data(withJSONObject: $0, options: [.fragmentsAllowed]) }, parsed: array)
    }

    /// The non-blank lines; blank ones (only spaces, tabs, CR) are not items.
    static func lines(of data: Data) -> [Data] {
        data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
            .map { Data($0) }
            .filter { !$0.allSatisfy { $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\r") || $0 == UInt8(ascii: "\t") } }
    }

    var count: Int {
        switch self {
        case .elements(let elements): return elements.count
        case .guarded(let items, _): return items.count
        }
    }

    /// Item `index` as a valid task, or the APIError naming its field, prefixed `[index]`.
    func task(at index: Int) throws -> TaskDefinition {
        switch self {
        case .elements(let elements):
            return try elements[index].task(prefix: "[\(index)]")
        case .guarded(let items, let parsed):
            return try TaskRoutes.decodeTask(items[index], parsed: parsed?[index], prefix: "[\(index)]")
        }
    }
}
