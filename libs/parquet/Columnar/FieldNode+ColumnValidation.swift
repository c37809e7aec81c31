extension FieldNode {
    /// Checks a whole column against this field before any of it is written, so that a bad
    /// batch leaves the column writers untouched (the same guarantee `validate` gives a row).
    /// Bulk loops over the arrays: no per-value enum to match.
    func validate(column: ParquetColumn, count: Int, path: String) throws {
        func fail(_ reason: String) -> ParquetWriterError {
            ParquetWriterError.invalidValue(column: path, reason: reason)
        }
        guard column.count == count else {
            throw fail("column has \(column.count) entries where \(count) are expected")
        }
        if let validity = column.validity {
            guard validity.count == count else {
                throw fail("validity has \(validity.count) entries for \(count) values")
            }
            if !nullable && validity.contains(false) {
                throw fail("null given but the field (\(type)) is not nullable")
            }
        }
        switch (content, column.storage) {
        case (.leaf(_, let leafType), .boolean): try requireLeaf(leafType, .boolean)
        case (.leaf(_, let leafType), .int32): try requireLeaf(leafType, .int32)
        case (.leaf(_, let leafType), .float): try requireLeaf(leafType, .float)
        case (.leaf(_, let leafType), .double): try requireLeaf(leafType, .double)
        case (.leaf(_, let leafType), .int64):
            guard leafType.physicalType == .int64 else { throw fail("expected \(type) but got an int64 column") }
        case (.leaf(_, let leafType), .byteArray(let bytes, let offsets)):
            guard leafType.physicalType == .byteArray else { throw fail("expected \(type) but got a byte-array column") }
            try Self.requireOffsets(offsets, endingAt: bytes.count, path: path)
            var previous = offsets[0]
            for offset in offsets.dropFirst() {
                guard Int(offset - previous) <= Self.maximumByteArrayLength else {
                    throw fail("value of \(offset - previous) bytes exceeds the \(Self.maximumByteArrayLength)-byte limit")
                }
                previous = offset
            }
        case (.list(let element, _), .list(let offsets, let elements)):
            try Self.requireOffsets(offsets, endingAt: elements.count, path: path)
            try element.validate(column: elements, count: elements.count, path: "\(path).element")
        case (.group(let children), .struct(let members, _)):
            guard members.count == children.count else {
                let names = children.map(\.name).joined(separator: ", ")
                throw fail("struct has \(children.count) fields (\(names)) but the column has \(members.count)")
            }
            for (child, member) in zip(children, members) {
                try child.validate(column: member, count: count, path: "\(path).\(child.name)")
            }
        default:
            throw fail("expected \(type) but got a \(column.storage.kindDescription) column")
        }

        func requireLeaf(_ leafType: LeafType, _ expected: LeafType) throws {
            guard leafType == expected else { throw fail("expected \(type) but got a \(expected) column") }
        }
    }

    /// Offsets start at 0 or later, never decrease and end exactly at the child's size.
    private static func requireOffsets(_ offsets: [Int32], endingAt end: Int, path: String) throws {
        guard let first = offsets.first, first >= 0, Int(offsets[offsets.count - 1]) == end else {
            throw ParquetWriterError.invalidValue(
                column: path, reason: "offsets must start at 0 or later and end at \(end), the size of the values")
        }
        var previous = first
        for offset in offsets {
            guard offset >= previous else {
                throw ParquetWriterError.invalidValue(column: path, reason: "offsets decrease (\(previous) then \(offset))")
            }
            previous = offset
        }
    }
}

extension ParquetColumn.Storage {
    var kindDescription: String {
        switch self {
        case .boolean: "boolean"
        case .int32: "int32"
        case .int64: "int64"
        case .float: "float"
        case .double: "double"
        case .byteArray: "byte-array"
        case .list: "list"
        case .struct: "struct"
        }
    }
}
