import SynthCommon

/// A declared parameter of a task template.
struct TemplateParameter: Codable, Sendable, Equatable {
    enum Kind: String, Codable, Sendable, CaseIterable {
        case string, integer, number, boolean
    }

    var name: String
    var type: Kind
    var required: Bool?
    var defaultValue: JSONValue?
    var description: String?

    enum CodingKeys: String, CodingKey {
        case name, type, required, description
        case defaultValue = "default"
    }

    /// Whether `value` has this parameter's type.
    func accepts(_ value: JSONValue) -> Bool {
        switch (type, value) {
        case (.string, .string), (.boolean, .bool), (.number, .number): true
        case (.integer, .number(let number)): number.rounded() == number && abs(number) < 9e15
        default: false
        }
    }

    /// A value of the right type, used to check that a template renders.
    var sample: JSONValue {
        switch type {
        case .string: .string("sample")
        case .integer: .number(1)
        case .number: .number(1.5)
        case .boolean: .bool(true)
        }
    }
}
