import Foundation
import SynthHTTPClient

/// Access keys for an S3-compatible service. `sessionToken` is set for temporary (STS) credentials.
public struct S3Credentials: Sendable {
    public var accessKeyID: String
    public var secretAccessKey: String
    public var sessionToken: String?

    public init(accessKeyID: String, secretAccessKey: String, sessionToken: String? = nil) {
        self.accessKeyID = accessKeyID
        self.secretAccessKey = secretAccessKey
        self.sessionToken = sessionToken
    }
}

/// AWS Signature Version 4 with a signed payload hash (the `Authorization` header form), as
/// specified in "Authenticating Requests (AWS Signature Version 4)" for Amazon S3.
struct SigV4Signer: Sendable {
    let credentials: S3Credentials
    let region: String
    var service = "s3"

    /// The headers to add to a request: `x-amz-date`, `x-amz-content-sha256`, the session token
    /// when there is one, and `Authorization`. `path` is the canonical (already encoded) URI,
    /// `query` the raw name/value pairs, `headers` those that are sent and must be signed
    /// (`host` among them).
    func sign(method: String, path: String, query: [(String, String)], headers: HTTPHeaders,
              payloadHash: String, date: Date) -> HTTPHeaders {
        let (amzDate, day) = Self.timestamps(date)
        var signed = headers
        signed.replaceOrAdd(name: "x-amz-date", value: amzDate)
        signed.replaceOrAdd(name: "x-amz-content-sha256", value: payloadHash)
        if let token = credentials.sessionToken {
            signed.replaceOrAdd(name: "x-amz-security-token", value: token)
        }
        let canonicalHeaders = signed.fields
            .map { (name: $0.name.lowercased(), value: Self.trimmed($0.value)) }
            .sorted { $0.name < $1.name }
        let signedHeaderNames = canonicalHeaders.map(\.name).joined(separator: ";")
        let canonicalRequest = [
            method,
            path,
            Self.canonicalQuery(query),
            canonicalHeaders.map { "\($0.name):\($0.value)\n" }.joined(),
            signedHeaderNames,
            payloadHash,
        ].joined(separator: "\n")
        let scope = "\(day)/\(region)/\(service)/aws4_request"
        let stringToSign = ["AWS4-HMAC-SHA256", amzDate, scope,
                            SHA256Digest.hex(SHA256Digest.hash(Array(canonicalRequest.utf8)))].joined(separator: "\n")
        let signature = SHA256Digest.hex(SHA256Digest.hmac(key: signingKey(day: day), Array(stringToSign.utf8)))

        var added: HTTPHeaders = [:]
        for field in signed.fields where !headers.contains(field.name) {
            added.add(name: field.name, value: field.value)
        }
        added.add(name: "Authorization", value: "AWS4-HMAC-SHA256 Credential=\(credentials.accessKeyID)/\(scope), "
                  + "SignedHeaders=\(signedHeaderNames), Signature=\(signature)")
        return added
    }

    private func signingKey(day: String) -> [UInt8] {
        let dateKey = SHA256Digest.hmac(key: Array(("AWS4" + credentials.secretAccessKey).utf8), Array(day.utf8))
        let regionKey = SHA256Digest.hmac(key: dateKey, Array(region.utf8))
        let serviceKey = SHA256Digest.hmac(key: regionKey, Array(service.utf8))
        return SHA256Digest.hmac(key: serviceKey, Array("aws4_request".utf8))
    }

    static let emptyPayloadHash = SHA256Digest.hex(SHA256Digest.hash([UInt8]()))

    /// Query parameters sorted by encoded name (then value), each side encoded; a bare flag
    /// such as `uploads` is `uploads=`.
    static func canonicalQuery(_ query: [(String, String)]) -> String {
        let encoded: [(name: String, value: String)] = query.map { (uriEncode($0.0), uriEncode($0.1)) }
        let sorted = encoded.sorted { (left, right) -> Bool in
            left.name == right.name ? left.value < right.value : left.name < right.name
        }
        return sorted.map { pair -> String in pair.name + "=" + pair.value }.joined(separator: "&")
    }

    /// RFC 3986 percent-encoding of everything but the unreserved characters, as SigV4 requires
    /// (uppercase hex); `/` is kept when encoding an object key for the path.
    static func uriEncode(_ text: String, keepSlash: Bool = false) -> String {
        let hex = Array("0123456789ABCDEF".utf8)
        var encoded: [UInt8] = []
        for byte in text.utf8 {
            if isUnreserved(byte) || (keepSlash && byte == UInt8(ascii: "/")) {
                encoded.append(byte)
            } else {
                encoded += [UInt8(ascii: "%"), hex[Int(byte >> 4)], hex[Int(byte & 0x0F)]]
            }
        }
        return String(decoding: encoded, as: UTF8.self)
    }

    private static func isUnreserved(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x41...0x5A, 0x61...0x7A, 0x30...0x39: true  // A-Z a-z 0-9
        case 0x2D, 0x5F, 0x2E, 0x7E: true  // - _ . ~
        default: false
        }
    }

    /// Header values are signed with surrounding spaces removed and inner runs collapsed to one.
    private static func trimmed(_ value: String) -> String {
        value.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
    }

    /// `20130524T000000Z` and `20130524`, in UTC.
    static func timestamps(_ date: Date) -> (String, String) {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var parts = tm()
        gmtime_r(&seconds, &parts)
        let day = String(format: "%04d%02d%02d", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday))
        return (day + String(format: "T%02d%02d%02dZ", Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec)), day)
    }
}
