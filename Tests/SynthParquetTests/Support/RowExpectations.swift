import Testing

/// Compares read-back rows, reporting the first differing row instead of dumping two tables.
func expectRows(
    _ actual: [[ReadBackValue]]?, equal expected: [[ReadBackValue]], reader: String,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    guard let actual else {
        Issue.record("\(reader) returned no rows", sourceLocation: sourceLocation)
        return
    }
    #expect(actual.count == expected.count, "\(reader) row count", sourceLocation: sourceLocation)
    for (index, (actualRow, expectedRow)) in zip(actual, expected).enumerated() where actualRow != expectedRow {
        let columns = zip(actualRow, expectedRow).enumerated().filter { $0.element.0 != $0.element.1 }
        let details = columns.map { "column \($0.offset): read \($0.element.0), wrote \($0.element.1)" }
        Issue.record("\(reader) row \(index) differs: \(details.joined(separator: "; "))", sourceLocation: sourceLocation)
        return
    }
}
