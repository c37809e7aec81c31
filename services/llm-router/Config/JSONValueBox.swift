import SynthCommon

/// Decodes any JSON in config files into `JSONValue`.
struct JSONValueBox: Codable, Sendable {
    var value: JSONValue
    init(from decoder: Decoder) throws { value = try JSONValue(from: decoder) }
    func encode(to encoder: Encoder) throws { try value.encode(to: encoder) }
}
