extension FieldNode {
    /// Splits a validated value into the leaf columns below this field with repetition and
    /// definition levels (the Dremel "record shredding" algorithm, README.md "Nested Encoding").
    ///
    /// - Parameter repetitionLevel: level for the first entry this value produces in each leaf:
    ///   the level of the innermost list that starts a new entry here (0 at the start of a row).
    func shred(_ value: ParquetValue, repetitionLevel: Int, into columns: inout [ColumnChunkWriter]) {
        if case .null = value {
            // A null field is recorded once in every leaf below it, at the parent's level.
            appendNulls(repetitionLevel: repetitionLevel, definitionLevel: definitionLevel - 1, into: &columns)
            return
        }
        switch content {
        case .leaf(let columnIndex, _):
            columns[columnIndex].append(value, repetitionLevel: repetitionLevel, definitionLevel: definitionLevel)

        case .group(let children):
            guard case .struct(let members) = value else { preconditionFailure("rows are validated before shredding") }
            for (child, member) in zip(children, members) {
                child.shred(member, repetitionLevel: repetitionLevel, into: &columns)
            }

        case .list(let element, let listRepetitionLevel):
            guard case .list(let items) = value else { preconditionFailure("rows are validated before shredding") }
            if items.isEmpty {
                // An empty list is defined up to the list field itself but has no `list` entries,
                // which is what distinguishes it from a null list one level lower.
                appendNulls(repetitionLevel: repetitionLevel, definitionLevel: definitionLevel, into: &columns)
                return
            }
            for (index, item) in items.enumerated() {
                element.shred(item, repetitionLevel: index == 0 ? repetitionLevel : listRepetitionLevel, into: &columns)
            }
        }
    }

    private func appendNulls(repetitionLevel: Int, definitionLevel: Int, into columns: inout [ColumnChunkWriter]) {
        for columnIndex in columnRange {
            columns[columnIndex].appendNull(repetitionLevel: repetitionLevel, definitionLevel: definitionLevel)
        }
    }
}
