extension FieldNode {
    /// Largest byte array accepted: a page must stay below 2 GiB (its size is an i32), so a
    /// single value is capped well below that.
    static let maximumByteArrayLength = 1 << 30

    /// Checks `value` against this field so that a bad row is rejected before any of it reaches
    /// the column writers (a half-shredded row would corrupt every later row).
    func validate(_ value: ParquetValue, path: String) throws {
        if case .null = value {
            guard nullable else {
                throw ParquetWriterError.invalidValue(column: path, reason: "null given but the field (\(type)) is not nullable")
            }
            return
        }
        switch content {
        case .leaf(_, let leafType):
            guard leafType.accepts(value) else {
                throw ParquetWriterError.invalidValue(column: path, reason: "expected \(type) but got \(value.kindDescription)")
            }
            try Self.requireStorableLength(value, path: path)

        case .group(let children):
            guard case .struct(let members) = value else {
                throw ParquetWriterError.invalidValue(column: path, reason: "expected \(type) but got \(value.kindDescription)")
            }
            guard members.count == children.count else {
                let names = children.map(\.name).joined(separator: ", ")
                throw ParquetWriterError.invalidValue(
                    column: path,
                    reason: "struct has \(children.count) fields (\(names)) but the value has \(members.count)")
            }
            for (child, member) in zip(children, members) {
                try child.validate(member, path: "\(path).\(child.name)")
            }

        case .list(let element, _):
            guard case .list(let items) = value else {
                throw ParquetWriterError.invalidValue(column: path, reason: "expected \(type) but got \(value.kindDescription)")
            }
            for (index, item) in items.enumerated() {
                try element.validate(item, path: "\(path)[\(index)]")
            }
        }
    }

    /// The same checks as `validate` without building error paths, for the common case of a
    /// good row (building a path string for every nested value dominated write time).
    func accepts(_ value: ParquetValue) -> Bool {
        if case .null = value { return nullable }
        switch content {
        case .leaf(_, let leafType):
            guard leafType.accepts(value) else { return false }
            switch value {
            case .string(let text): return text.utf8.count <= Self.maximumByteArrayLength
            case .binary(let bytes): return bytes.count <= Self.maximumByteArrayLength
            default: return true
            }
        case .group(let children):
            guard case .struct(let members) = value, members.count == children.count else { return false }
            for index in children.indices where !children[index].accepts(members[index]) { return false }
            return true
        case .list(let element, _):
            guard case .list(let items) = value else { return false }
            for item in items where !element.accepts(item) { return false }
            return true
        }
    }

    private static func requireStorableLength(_ value: ParquetValue, path: String) throws {
        let length: Int
        switch value {
        case .string(let text): length = text.utf8.count
        case .binary(let bytes): length = bytes.count
        default: return
        }
        guard length <= maximumByteArrayLength else {
            throw ParquetWriterError.invalidValue(
                column: path, reason: "value of \(length) bytes exceeds the \(maximumByteArrayLength)-byte limit")
        }
    }
}
