import Foundation
import SynthCommon

/// Turns a template plus parameters into a task definition. Every string in
/// the template (object keys included, so file paths can be parameters) has
/// its `{{name}}` placeholders replaced; a string that is exactly one
/// placeholder takes the parameter's JSON value, so numbers stay numbers.
enum TemplateRenderer {
    static func render(_ template: JSONValue, values: [String: JSONValue]) -> JSONValue {
        switch template {
        case .string(let text):
            return substitute(text, values)
        case .array(let items):
            return .array(items.map { render($0, values: values) })
        case .object(let fields):
            var rendered: [String: JSONValue] = [:]
            for (key, value) in fields {
                let renderedKey: String
                if case .string(let text) = substitute(key, values) { renderedKey = text } else { renderedKey = key }
                rendered[renderedKey] = render(value, values: values)
            }
            return .object(rendered)
        default:
            return template
        }
    }

    static func substitute(_ text: String, _ values: [String: JSONValue]) -> JSONValue {
        guard text.contains("{{") else { return .string(text) }
        let trimmed = text.trimmingCharacters(in: .whitespaces)
        if trimmed.hasPrefix("{{"), trimmed.hasSuffix("}}"), trimmed.dropFirst(2).dropLast(2).allSatisfy({ $0 != "{" && $0 != "}" }) {
            let name = trimmed.dropFirst(2).dropLast(2).trimmingCharacters(in: .whitespaces)
            if let value = values[name] { return value }
        }
        var result = text
        for (name, value) in values {
            result = result.replacingOccurrences(of: "{{\(name)}}", with: plain(value))
            result = result.replacingOccurrences(of: "{{ \(name) }}", with: plain(value))
        }
        return .string(result)
    }

    static func plain(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): return text
        case .bool(let flag): return flag ? "true" : "false"
        case .number(let number): return number.rounded() == number && abs(number) < 9e15 ? String(Int64(number)) : String(number)
        case .null: return ""
        default: return String(decoding: (try? SynthJSON.encode(value)) ?? [], as: UTF8.self)
        }
    }

    /// Placeholders used in the template, to check each is declared.
    static func placeholders(in template: JSONValue) -> Set<String> {
        var names: Set<String> = []
        func scan(_ text: String) {
            var rest = Substring(text)
            while let open = rest.range(of: "{{"), let close = rest[open.upperBound...].range(of: "}}") {
                names.insert(rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces))
                rest = rest[close.upperBound...]
            }
        }
        func walk(_ value: JSONValue) {
            switch value {
            case .string(let text): scan(text)
            case .array(let items): items.forEach(walk)
            case .object(let fields): for (key, item) in fields { scan(key); walk(item) }
            default: break
            }
        }
        walk(template)
        return names
    }
}
