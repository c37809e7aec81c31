import Foundation
import Hummingbird

/// Checks a client's JSON before it reaches Postgres, which cannot store a
/// NUL character in text or jsonb: such input is a 400, not a failed insert.
enum JSONGuards {
    /// The path of the first string (or key) holding U+0000, if any.
    static func nulPath(in value: Any, path: String = "") -> String? {
        switch value {
        case let text as String:
            return text.contains("\0") ? (path.isEmpty ? "body" : path) : nil
        case let array as [Any]:
            for (index, item) in array.enumerated() {
                if let found = nulPath(in: item, path: "\(path)[\(index)]") { return found }
            }
            return nil
        case let object as [String: Any]:
            for (key, item) in object {
                let child = path.isEmpty ? key : "\(path).\(key)"
                if key.contains("\0") { return child }
                if let found = nulPath(in: item, path: child) { return found }
            }
            return nil
        default:
            return nil
        }
    }

    static func rejectNUL(_ object: Any, prefix: String? = nil) throws {
        if let path = nulPath(in: object) {
            let field = prefix.map { path == "body" ? $0 : "\($0).\(path)" } ?? path
            throw APIError.invalid(field, "must not contain the NUL character", code: "invalid_body")
        }
    }
}

extension Parameters {
    /// A path segment used as an id: at most 256 characters, no NUL.
    func id(_ name: String) throws -> String {
        let value = get(name) ?? ""
        guard !value.isEmpty, value.utf8.count <= 256, !value.contains("\0") else {
            throw APIError.invalid(name, "must be 1 to 256 characters without NUL")
        }
        return value
    }
}
