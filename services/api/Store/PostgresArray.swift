/// Postgres array literals for unnest()-based bulk statements: one round trip
/// for a batch of 10,000 rows instead of 10,000.
enum PostgresArray {
    static func literal(_ values: [String?]) -> String {
        var text = "{"
        text.reserveCapacity(values.reduce(2) { $0 + ($1?.utf8.count ?? 4) + 3 })
        for (index, value) in values.enumerated() {
            if index > 0 { text += "," }
            guard let value else { text += "NULL"; continue }
            text += "\""
            for character in value.unicodeScalars {
                if character == "\"" || character == "\\" { text += "\\" }
                text.unicodeScalars.append(character)
            }
            text += "\""
        }
        return text + "}"
    }
}
