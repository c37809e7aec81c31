/// Postgres array literals (`{"a","b"}`), for text[] parameters.
enum PostgresTextArray {
    static func literal(_ values: [String]) -> String {
        var text = "{"
        for (index, value) in values.enumerated() {
            if index > 0 { text += "," }
            text += "\""
            for scalar in value.unicodeScalars {
                if scalar == "\"" || scalar == "\\" { text += "\\" }
                text.unicodeScalars.append(scalar)
            }
            text += "\""
        }
        return text + "}"
    }

    /// Parses the text form Postgres returns for a text[] column.
    static func parse(_ literal: String) -> [String] {
        var values: [String] = []
        var scalars = literal.unicodeScalars.makeIterator()
        guard scalars.next() == "{" else { return [] }
        var current = String.UnicodeScalarView()
        var quoted = false, inQuotes = false, sawAny = false
        while let scalar = scalars.next() {
            if inQuotes {
                if scalar == "\\" { if let next = scalars.next() { current.append(next) } }
                else if scalar == "\"" { inQuotes = false }
                else { current.append(scalar) }
                continue
            }
            switch scalar {
            case "\"": inQuotes = true; quoted = true; sawAny = true
            case ",", "}":
                if sawAny || !current.isEmpty {
                    let text = String(current)
                    values.append(!quoted && text == "NULL" ? "" : text)
                }
                current = String.UnicodeScalarView(); quoted = false; sawAny = false
                if scalar == "}" { return values }
            default: current.append(scalar); sawAny = true
            }
        }
        return values
    }
}
