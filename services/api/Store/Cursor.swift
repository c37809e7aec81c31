import Foundation

/// An opaque keyset-pagination cursor: the sort key (microseconds since the
/// epoch) and id of the last row of a page. Base64url of "micros:id", so a
/// page stays stable while new rows arrive.
struct Cursor: Equatable {
    var micros: Int64
    var id: String

    init(micros: Int64, id: String) {
        self.micros = micros
        self.id = id
    }

    init?(encoded: String) {
        var base64 = encoded.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while base64.count % 4 != 0 { base64 += "=" }
        guard encoded.count <= 400, let data = Data(base64Encoded: base64), let text = String(data: data, encoding: .utf8),
              let colon = text.firstIndex(of: ":"), let micros = Int64(text[..<colon]), micros >= 0 else { return nil }
        let id = String(text[text.index(after: colon)...])
        guard !id.isEmpty, id.utf8.count <= 256, !id.contains("\0") else { return nil }
        self.init(micros: micros, id: id)
    }

    var encoded: String {
        Data("\(micros):\(id)".utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }
}
