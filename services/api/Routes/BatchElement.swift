import Foundation
import SynthCommon

/// One task of a batch body, decoded in place by the JSONDecoder that reads
/// the whole body: no JSONSerialization tree and no re-encoding of each
/// element. It never throws, so one bad element leaves the others decodable;
/// `task(prefix:)` gives the same task or error `TaskRoutes.decodeTask` gives
/// for the element on its own.
struct BatchElement: Decodable {
    enum Outcome {
        case decoded(TaskDefinition)
        case notAnObject
        case invalid(FieldError)
    }

    let outcome: Outcome

    init(from decoder: Decoder) throws {
        // Error paths start at the element, as when it is decoded alone.
        let depth = decoder.codingPath.count
        do {
            outcome = .decoded(try TaskDefinition(from: decoder))
        } catch let error as DecodingError {
            // Only asking for the element's own keyed container fails at its
            // own path with these two: the element is not an object.
            switch error {
            case .typeMismatch(_, let context) where context.codingPath.count == depth,
                 .valueNotFound(_, let context) where context.codingPath.count == depth:
                outcome = .notAnObject
            default:
                outcome = .invalid(error.fieldError(droppingPrefix: depth))
            }
        } catch {
            // A number no Swift type holds: JSONDecoder reports it as invalid
            // JSON at the top when the element is decoded alone.
            outcome = .invalid(FieldError(field: "body", message: "is not valid JSON"))
        }
    }

    /// An element that is not JSON at all (a JSON Lines line).
    static let unreadable = BatchElement(outcome: .notAnObject)

    private init(outcome: Outcome) {
        self.outcome = outcome
    }

    /// An element already read as a task (TaskDefinition's direct reader).
    init(_ task: TaskDefinition) {
        outcome = .decoded(task)
    }

    func task(prefix: String) throws -> TaskDefinition {
        switch outcome {
        case .decoded(let task):
            return try TaskRoutes.checked(task, prefix: prefix)
        case .notAnObject:
            throw APIError(status: .badRequest, code: "invalid_task", field: prefix, message: "\(prefix): must be a JSON object")
        case .invalid(let problem):
            let field = problem.field == "body" ? prefix : "\(prefix).\(problem.field)"
            throw APIError(status: .badRequest, code: "invalid_task", field: field, message: "\(field): \(problem.message)")
        }
    }

    /// JSON cannot hold a raw NUL and writes it `\u0000`; Postgres cannot
    /// store it. A body with either goes the slow way, whose error names the
    /// field (JSONGuards). A `\\u0000` (escaped backslash) also lands there,
    /// which is only slower.
    static func mayHoldNUL(_ body: Data) -> Bool {
        body.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            var index = 0
            while index < bytes.count {
                let byte = bytes[index]
                if byte == 0 { return true }
                if byte == UInt8(ascii: "\\"), index + 5 < bytes.count, bytes[index + 1] == UInt8(ascii: "u"),
                   bytes[index + 2] == UInt8(ascii: "0"), bytes[index + 3] == UInt8(ascii: "0"),
                   bytes[index + 4] == UInt8(ascii: "0"), bytes[index + 5] == UInt8(ascii: "0") {
                    return true
                }
                index += 1
            }
            return false
        }
    }
}
