import Foundation

/// Reads the few flat text elements that S3's responses carry (`<Key>`, `<UploadId>`,
/// `<Code>` ...). S3 documents contain no mixed content or CDATA, so finding each
/// `<Name>text</Name>` and decoding the five XML entities and character references is exact,
/// without pulling an XML parser into the process.
struct S3XML {
    let text: String

    init(_ bytes: [UInt8]) {
        text = String(decoding: bytes, as: UTF8.self)
    }

    func all(_ name: String) -> [String] {
        var values: [String] = []
        var rest = text[...]
        let open = "<\(name)>", close = "</\(name)>"
        while let start = rest.range(of: open), let end = rest[start.upperBound...].range(of: close) {
            values.append(Self.decode(rest[start.upperBound..<end.lowerBound]))
            rest = rest[end.upperBound...]
        }
        return values
    }

    func first(_ name: String) -> String? { all(name).first }

    var isError: Bool { text.contains("<Error>") }

    static func decode(_ raw: Substring) -> String {
        guard raw.contains("&") else { return String(raw) }
        var output = ""
        var rest = raw
        while let amp = rest.firstIndex(of: "&") {
            output += rest[..<amp]
            guard let semi = rest[amp...].firstIndex(of: ";") else { break }
            let entity = rest[rest.index(after: amp)..<semi]
            switch entity {
            case "amp": output += "&"
            case "lt": output += "<"
            case "gt": output += ">"
            case "quot": output += "\""
            case "apos": output += "'"
            default:
                let number = entity.hasPrefix("#x") ? UInt32(entity.dropFirst(2), radix: 16)
                    : entity.hasPrefix("#") ? UInt32(entity.dropFirst(), radix: 10) : nil
                if let scalar = number.flatMap(Unicode.Scalar.init) { output.unicodeScalars.append(scalar) }
                else { output += rest[amp...semi] }
            }
            rest = rest[rest.index(after: semi)...]
        }
        return output + rest
    }

    static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
