import Foundation
import SynthParquet

/// A value as a reader returned it, in the lossless form `PythonReaderScript` prints; the
/// tests build the same form from the `ParquetValue`s they wrote and compare the two.
indirect enum ReadBackValue: Decodable, Equatable, CustomStringConvertible {
    case null
    case bool(Bool)
    case int(String)
    /// Bit pattern of the value as a Double (float32 values widen exactly).
    case floatBits(String)
    case nan
    case string(String)
    case bytesHex(String)
    case timestampMicros(String)
    case list([ReadBackValue])
    case structure([String: ReadBackValue])

    private enum CodingKeys: String, CodingKey {
        case bool, int, floatBits, nan, string, bytes, timestampMicros, list, `struct`
    }

    init(from decoder: any Decoder) throws {
        if try decoder.singleValueContainer().decodeNil() {
            self = .null
            return
        }
        let container = try decoder.container(keyedBy: CodingKeys.self)
        guard let key = container.allKeys.first, container.allKeys.count == 1 else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath, debugDescription: "expected exactly one tag"))
        }
        switch key {
        case .bool: self = .bool(try container.decode(Bool.self, forKey: key))
        case .int: self = .int(try container.decode(String.self, forKey: key))
        case .floatBits: self = .floatBits(try container.decode(String.self, forKey: key))
        case .nan: self = .nan
        case .string: self = .string(try container.decode(String.self, forKey: key))
        case .bytes: self = .bytesHex(try container.decode(String.self, forKey: key))
        case .timestampMicros: self = .timestampMicros(try container.decode(String.self, forKey: key))
        case .list: self = .list(try container.decode([ReadBackValue].self, forKey: key))
        case .struct: self = .structure(try container.decode([String: ReadBackValue].self, forKey: key))
        }
    }

    /// The form a reader should return for `value` written to a field of `type`.
    init(_ value: ParquetValue, type: ParquetType) {
        switch (value, type) {
        case (.null, _): self = .null
        case (.bool(let flag), _): self = .bool(flag)
        case (.int32(let number), _): self = .int(String(number))
        case (.int64(let number), _): self = .int(String(number))
        case (.float(let number), _): self = number.isNaN ? .nan : .floatBits(String(Double(number).bitPattern))
        case (.double(let number), _): self = number.isNaN ? .nan : .floatBits(String(number.bitPattern))
        case (.string(let text), _): self = .string(text)
        case (.binary(let bytes), _): self = .bytesHex(bytes.map { String(format: "%02x", $0) }.joined())
        case (.timestampMillis(let millis), _): self = .timestampMicros(String(millis * 1000))
        case (.timestampMicros(let micros), _): self = .timestampMicros(String(micros))
        case (.list(let items), .list(let element)):
            self = .list(items.map { ReadBackValue($0, type: element.type) })
        case (.struct(let members), .struct(let fields)):
            self = .structure(Dictionary(uniqueKeysWithValues: zip(
                fields.map(\.name), zip(members, fields).map { ReadBackValue($0, type: $1.type) })))
        default:
            fatalError("test data \(value) does not match \(type)")
        }
    }

    /// Strings compare by UTF-8 bytes: Swift's `==` would treat canonically equivalent but
    /// differently encoded strings as equal and hide a normalisation bug.
    static func == (lhs: ReadBackValue, rhs: ReadBackValue) -> Bool {
        switch (lhs, rhs) {
        case (.null, .null), (.nan, .nan): true
        case (.bool(let a), .bool(let b)): a == b
        case (.int(let a), .int(let b)), (.floatBits(let a), .floatBits(let b)),
             (.bytesHex(let a), .bytesHex(let b)), (.timestampMicros(let a), .timestampMicros(let b)):
            a == b
        case (.string(let a), .string(let b)): a.utf8.elementsEqual(b.utf8)
        case (.list(let a), .list(let b)): a == b
        case (.structure(let a), .structure(let b)): a == b
        default: false
        }
    }

    var description: String {
        switch self {
        case .null: "null"
        case .bool(let flag): "\(flag)"
        case .int(let text): text
        case .floatBits(let bits): "\(Double(bitPattern: UInt64(bits) ?? 0))"
        case .nan: "nan"
        case .string(let text): text.count > 60 ? "\"\(text.prefix(60))…\" (\(text.utf8.count) bytes)" : "\"\(text)\""
        case .bytesHex(let hex): "0x" + hex
        case .timestampMicros(let micros): "ts(\(micros)µs)"
        case .list(let items): "[" + items.map(\.description).joined(separator: ", ") + "]"
        case .structure(let members):
            "{" + members.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + "}"
        }
    }
}

extension ParquetSchema {
    /// The read-back form of `rows` written with this schema.
    func expectedReadBack(_ rows: [[ParquetValue]]) -> [[ReadBackValue]] {
        rows.map { row in zip(row, fields).map { ReadBackValue($0, type: $1.type) } }
    }
}
