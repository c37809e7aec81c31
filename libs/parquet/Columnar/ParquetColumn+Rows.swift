extension ParquetColumn {
    /// Turns rows into one column per top-level field, for callers that have rows but want
    /// `ParquetWriter.write(columns:)`, and to check that both ways write the same file.
    ///
    /// Throws `ParquetWriterError.invalidValue` for a value of the wrong kind; nullability is
    /// checked by the writer.
    public static func columns(from rows: [[ParquetValue]], schema: ParquetSchema) throws -> [ParquetColumn] {
        for row in rows where row.count != schema.fields.count {
            throw ParquetWriterError.wrongFieldCount(expected: schema.fields.count, actual: row.count)
        }
        return try schema.fields.indices.map { index in
            try column(of: rows.map { $0[index] }, type: schema.fields[index].type, path: schema.fields[index].name)
        }
    }

    private static func column(of values: [ParquetValue], type: ParquetType, path: String) throws -> ParquetColumn {
        let validity: [Bool]? = values.contains(.null) ? values.map { $0 != .null } : nil
        func mismatch(_ value: ParquetValue) -> ParquetWriterError {
            .invalidValue(column: path, reason: "expected \(type) but got \(value.kindDescription)")
        }
        /// The payloads of one value kind, with a placeholder in null slots.
        func payloads<Payload>(_ placeholder: Payload, _ payload: (ParquetValue) -> Payload?) throws -> [Payload] {
            try values.map { value in
                if case .null = value { return placeholder }
                guard let extracted = payload(value) else { throw mismatch(value) }
                return extracted
            }
        }
        switch type {
        case .boolean:
            return .booleans(try payloads(false) { if case .bool(let flag) = $0 { flag } else { nil } }, validity: validity)
        case .int32:
            return .int32s(try payloads(0) { if case .int32(let number) = $0 { number } else { nil } }, validity: validity)
        case .int64, .timestampMillis, .timestampMicros:
            return .int64s(try payloads(0) { value in
                switch (type, value) {
                case (.int64, .int64(let number)), (.timestampMillis, .timestampMillis(let number)),
                     (.timestampMicros, .timestampMicros(let number)):
                    number
                default: nil
                }
            }, validity: validity)
        case .float:
            return .floats(try payloads(0) { if case .float(let number) = $0 { number } else { nil } }, validity: validity)
        case .double:
            return .doubles(try payloads(0) { if case .double(let number) = $0 { number } else { nil } }, validity: validity)
        case .string, .binary:
            var builder = ParquetByteArrayColumnBuilder()
            for value in values {
                switch (type, value) {
                case (.string, .string(let text)): builder.append(text)
                case (.binary, .binary(let bytes)): builder.append(bytes: bytes)
                case (_, .null): builder.appendNull()
                default: throw mismatch(value)
                }
            }
            return builder.column
        case .list(let element):
            var offsets: [Int32] = [0]
            var items: [ParquetValue] = []
            for value in values {
                switch value {
                case .list(let entries): items.append(contentsOf: entries)
                case .null: break
                default: throw mismatch(value)
                }
                offsets.append(Int32(items.count))
            }
            return .list(offsets: offsets, element: try column(of: items, type: element.type, path: "\(path).element"),
                         validity: validity)
        case .struct(let fields):
            var memberValues = Array(repeating: [ParquetValue](), count: fields.count)
            for value in values {
                switch value {
                case .struct(let members) where members.count == fields.count:
                    for index in fields.indices { memberValues[index].append(members[index]) }
                case .null:
                    // Members of a null struct are ignored; a present placeholder keeps
                    // required members valid.
                    for index in fields.indices { memberValues[index].append(placeholder(for: fields[index].type)) }
                default:
                    throw ParquetWriterError.invalidValue(
                        column: path, reason: "expected \(type) with \(fields.count) fields but got \(value.kindDescription)")
                }
            }
            return .struct(try fields.indices.map { index in
                try column(of: memberValues[index], type: fields[index].type, path: "\(path).\(fields[index].name)")
            }, count: values.count, validity: validity)
        }
    }

    /// Some value of `type`, for the ignored member slots below a null struct.
    private static func placeholder(for type: ParquetType) -> ParquetValue {
        switch type {
        case .boolean: .bool(false)
        case .int32: .int32(0)
        case .int64: .int64(0)
        case .float: .float(0)
        case .double: .double(0)
        case .string: .string("")
        case .binary: .binary([])
        case .timestampMillis: .timestampMillis(0)
        case .timestampMicros: .timestampMicros(0)
        case .list: .list([])
        case .struct(let fields): .struct(fields.map { placeholder(for: $0.type) })
        }
    }
}
