/// Turns a JSONDecoder error into the field it is about and a plain sentence,
/// so a client sees `verification_tests[0].command: expected a string`.
extension DecodingError {
    public var fieldError: FieldError { fieldError(droppingPrefix: 0) }

    /// The field relative to a value decoded inside a larger document (an
    /// element of a batch): the first `prefix` keys of the path are dropped.
    public func fieldError(droppingPrefix prefix: Int) -> FieldError {
        func relative(_ context: Context) -> [CodingKey] { Array(context.codingPath.dropFirst(prefix)) }
        switch self {
        case .keyNotFound(let key, let context):
            return FieldError(field: Self.path(relative(context) + [key]), message: "is required")
        case .typeMismatch(let type, let context):
            return FieldError(field: Self.path(relative(context)), message: "expected \(Self.describe(type))")
        case .valueNotFound(let type, let context):
            return FieldError(field: Self.path(relative(context)), message: "expected \(Self.describe(type)), got null")
        case .dataCorrupted(let context):
            let codingPath = relative(context)
            let field = codingPath.isEmpty ? "body" : Self.path(codingPath)
            if codingPath.isEmpty { return FieldError(field: field, message: "is not valid JSON") }
            if context.debugDescription.hasPrefix("Cannot initialize Difficulty") {
                return FieldError(field: field, message: "is not one of \(Difficulty.allCases.map(\.rawValue).joined(separator: ", "))")
            }
            return FieldError(field: field, message: context.debugDescription)
        @unknown default:
            return FieldError(field: "body", message: "\(self)")
        }
    }

    static func path(_ keys: [CodingKey]) -> String {
        var text = ""
        for key in keys {
            if let index = key.intValue, key.stringValue == "Index \(index)" || Int(key.stringValue) == index {
                text += "[\(index)]"
            } else {
                text += text.isEmpty ? key.stringValue : ".\(key.stringValue)"
            }
        }
        return text.isEmpty ? "body" : text
    }

    static func describe(_ type: Any.Type) -> String {
        switch type {
        case is String.Type: return "a string"
        case is Int.Type, is Int64.Type: return "an integer"
        case is Double.Type: return "a number"
        case is Bool.Type: return "a boolean"
        default:
            let name = "\(type)"
            if name.hasPrefix("Array") { return "an array" }
            if name.hasPrefix("Dictionary") { return "an object" }
            if name == "Difficulty" { return "one of \(Difficulty.allCases.map(\.rawValue).joined(separator: ", "))" }
            return "an object"
        }
    }
}
