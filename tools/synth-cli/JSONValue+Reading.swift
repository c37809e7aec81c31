import SynthCommon

extension JSONValue {
    var string: String? {
        switch self {
        case .string(let text): text
        case .number(let number): number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : String(number)
        case .bool(let flag): String(flag)
        default: nil
        }
    }

    var number: Double? {
        if case .number(let value) = self { return value }
        return nil
    }

    var items: [JSONValue] {
        if case .array(let values) = self { return values }
        return []
    }

    var fields: [String: JSONValue] {
        if case .object(let object) = self { return object }
        return [:]
    }
}
