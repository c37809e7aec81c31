/// Builds Engine API URLs. The host is a placeholder: requests travel over
/// the unix socket, but HTTP/1.1 still needs a Host header.
enum EngineURL {
    static let apiVersion = "v1.41"

    static func make(path: String, query: [(String, String)] = []) -> String {
        var url = "http://localhost/\(apiVersion)\(path)"
        if !query.isEmpty {
            url += "?" + query.map { "\(encode($0.0))=\(encode($0.1))" }.joined(separator: "&")
        }
        return url
    }

    /// A container id/name or exec id as one path segment.
    static func segment(_ value: String) -> String {
        encode(value)
    }

    /// An image reference in a path; "/" ":" "@" stay literal because the
    /// Engine routes `/images/{name:.*}/json` on the raw path.
    static func imageReference(_ value: String) -> String {
        encode(value, alsoAllowed: [0x2F, 0x3A, 0x40])
    }

    /// Percent-encodes everything but RFC 3986 unreserved characters.
    static func encode(_ value: String, alsoAllowed: Set<UInt8> = []) -> String {
        var result = ""
        for byte in value.utf8 {
            let isUnreserved = (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
                || (byte >= 0x30 && byte <= 0x39) || byte == 0x2D || byte == 0x2E || byte == 0x5F || byte == 0x7E
            if isUnreserved || alsoAllowed.contains(byte) {
                result.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                result += "%" + String(byte, radix: 16, uppercase: true).leftPadded(to: 2)
            }
        }
        return result
    }
}

private extension String {
    func leftPadded(to width: Int) -> String {
        count >= width ? self : String(repeating: "0", count: width - count) + self
    }
}
