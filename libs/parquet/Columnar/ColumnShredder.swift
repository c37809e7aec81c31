/// Shreds one leaf of a column batch into its column writer: the Dremel levels computed from
/// the validity arrays and list offsets of the leaf's ancestors, as Arrow's writer does.
///
/// Holds raw pointers into the batch's arrays; it is only built inside
/// `ColumnShredder.forEachLeaf`, whose closures keep those arrays pinned.
struct ColumnShredder {
    /// One field on the path from the top-level field down to the leaf: every list, every
    /// struct that has nulls, and the leaf itself. Structs without nulls are left out, as they
    /// change neither slots nor levels.
    struct Step {
        /// nil when every slot is present.
        var validity: UnsafeBufferPointer<Bool>?
        /// Lists only: entry `i` is element slots `offsets[i]..<offsets[i + 1]`.
        var offsets: UnsafeBufferPointer<Int32>?
        /// The field's `definitionLevel`: reached when the slot is present.
        var definitionLevel: Int
        /// Lists only: repetition level of every entry after a list's first one.
        var listRepetitionLevel: Int
    }

    enum LeafValues {
        case boolean(UnsafeBufferPointer<Bool>)
        case int32(UnsafeBufferPointer<Int32>)
        case int64(UnsafeBufferPointer<Int64>)
        case float(UnsafeBufferPointer<Float>)
        case double(UnsafeBufferPointer<Double>)
        case byteArray(bytes: UnsafeRawBufferPointer, offsets: UnsafeBufferPointer<Int32>)
    }

    let steps: UnsafeBufferPointer<Step>
    let values: LeafValues

    /// Appends the entries of `rows` (top-level slots) to `writer`, ending each row so pages
    /// are cut at row boundaries exactly as for rows written one at a time.
    func shred(rows: Range<Int>, into writer: inout ColumnChunkWriter) throws {
        // One generic walk per value type, so the value append is inlined into the walk.
        switch values {
        case .boolean(let values): try shred(rows: rows, leaf: FixedWidthLeaf(values: values), into: &writer)
        case .int32(let values): try shred(rows: rows, leaf: FixedWidthLeaf(values: values), into: &writer)
        case .int64(let values): try shred(rows: rows, leaf: FixedWidthLeaf(values: values), into: &writer)
        case .float(let values): try shred(rows: rows, leaf: FixedWidthLeaf(values: values), into: &writer)
        case .double(let values): try shred(rows: rows, leaf: FixedWidthLeaf(values: values), into: &writer)
        case .byteArray(let bytes, let offsets):
            try shred(rows: rows, leaf: ByteArrayLeaf(bytes: bytes, offsets: offsets), into: &writer)
        }
    }

    private func shred<Leaf: ShreddedLeaf>(rows: Range<Int>, leaf: Leaf, into writer: inout ColumnChunkWriter) throws {
        for row in rows {
            visit(depth: 0, slot: row, repetitionLevel: 0, leaf: leaf, into: &writer)
            try writer.endRow()
        }
    }

    private func visit<Leaf: ShreddedLeaf>(
        depth: Int, slot: Int, repetitionLevel: Int, leaf: Leaf, into writer: inout ColumnChunkWriter
    ) {
        let step = steps[depth]
        if let validity = step.validity, !validity[slot] {
            // A null here is one entry at the parent's level, whatever lies below.
            writer.appendNull(repetitionLevel: repetitionLevel, definitionLevel: step.definitionLevel - 1)
            return
        }
        guard depth + 1 < steps.count else {
            writer.recordLevels(repetitionLevel: repetitionLevel, definitionLevel: step.definitionLevel)
            leaf.append(slot: slot, into: &writer)
            return
        }
        guard let offsets = step.offsets else {
            // A struct with nulls: its members have the same slots.
            visit(depth: depth + 1, slot: slot, repetitionLevel: repetitionLevel, leaf: leaf, into: &writer)
            return
        }
        let start = Int(offsets[slot]), end = Int(offsets[slot + 1])
        guard start < end else {
            // An empty list is defined up to the list itself but has no entries.
            writer.appendNull(repetitionLevel: repetitionLevel, definitionLevel: step.definitionLevel)
            return
        }
        if depth + 2 == steps.count && steps[depth + 1].validity == nil {
            // A list of present leaf values (token ids, logprobs): its levels are one run and
            // its values one contiguous stretch, appended in bulk instead of value by value.
            writer.recordLevelRun(
                count: end - start, firstRepetitionLevel: repetitionLevel, repetitionLevel: step.listRepetitionLevel,
                definitionLevel: steps[depth + 1].definitionLevel)
            leaf.append(slots: start..<end, into: &writer)
            return
        }
        visit(depth: depth + 1, slot: start, repetitionLevel: repetitionLevel, leaf: leaf, into: &writer)
        for element in (start + 1)..<end {
            visit(depth: depth + 1, slot: element, repetitionLevel: step.listRepetitionLevel, leaf: leaf, into: &writer)
        }
    }

    /// Calls `body` once per leaf below `node` with the leaf's column index and its shredder.
    /// The batch was validated against the schema, so node and column shapes agree.
    static func forEachLeaf(
        of node: FieldNode, column: ParquetColumn, path: [Step] = [],
        _ body: (Int, ColumnShredder) throws -> Void
    ) rethrows {
        try withOptionalBuffer(column.validity) { validity in
            var step = Step(validity: validity, offsets: nil, definitionLevel: node.definitionLevel, listRepetitionLevel: 0)
            switch (node.content, column.storage) {
            case (.leaf(let columnIndex, _), let storage):
                try withLeafValues(storage) { values in
                    try (path + [step]).withUnsafeBufferPointer { steps in
                        try body(columnIndex, ColumnShredder(steps: steps, values: values))
                    }
                }
            case (.list(let element, let repetitionLevel), .list(let offsets, let elements)):
                try offsets.withUnsafeBufferPointer { offsets in
                    step.offsets = offsets
                    step.listRepetitionLevel = repetitionLevel
                    try forEachLeaf(of: element, column: elements, path: path + [step], body)
                }
            case (.group(let children), .struct(let members, _)):
                // A struct without nulls maps each slot to the same member slot and adds no
                // level: it is left out of the path, one call less per value.
                let childPath = validity == nil ? path : path + [step]
                for (child, member) in zip(children, members) {
                    try forEachLeaf(of: child, column: member, path: childPath, body)
                }
            default:
                preconditionFailure("column batches are validated before shredding")
            }
        }
    }

    /// The size of the batch's data for `rows` below `node`: values, plus 4 bytes per string
    /// and per list entry. Found through the list offsets without visiting the values, so a
    /// row group can be sized before it is encoded.
    static func inputByteCount(of node: FieldNode, column: ParquetColumn, rows: Range<Int>) -> Int {
        switch (node.content, column.storage) {
        case (_, .boolean): rows.count
        case (_, .int32), (_, .float): rows.count * 4
        case (_, .int64), (_, .double): rows.count * 8
        case (_, .byteArray(_, let offsets)):
            Int(offsets[rows.upperBound] - offsets[rows.lowerBound]) + rows.count * 4
        case (.list(let element, _), .list(let offsets, let elements)):
            inputByteCount(of: element, column: elements, rows: Int(offsets[rows.lowerBound])..<Int(offsets[rows.upperBound]))
                + rows.count * 4
        case (.group(let children), .struct(let members, _)):
            zip(children, members).reduce(0) { $0 + inputByteCount(of: $1.0, column: $1.1, rows: rows) }
        default:
            preconditionFailure("column batches are validated before they are measured")
        }
    }

    private static func withOptionalBuffer<Result>(
        _ array: [Bool]?, _ body: (UnsafeBufferPointer<Bool>?) throws -> Result
    ) rethrows -> Result {
        guard let array else { return try body(nil) }
        return try array.withUnsafeBufferPointer { try body($0) }
    }

    private static func withLeafValues(
        _ storage: ParquetColumn.Storage, _ body: (LeafValues) throws -> Void
    ) rethrows {
        switch storage {
        case .boolean(let values): try values.withUnsafeBufferPointer { try body(.boolean($0)) }
        case .int32(let values): try values.withUnsafeBufferPointer { try body(.int32($0)) }
        case .int64(let values): try values.withUnsafeBufferPointer { try body(.int64($0)) }
        case .float(let values): try values.withUnsafeBufferPointer { try body(.float($0)) }
        case .double(let values): try values.withUnsafeBufferPointer { try body(.double($0)) }
        case .byteArray(let bytes, let offsets):
            try bytes.withUnsafeBytes { bytes in
                try offsets.withUnsafeBufferPointer { try body(.byteArray(bytes: bytes, offsets: $0)) }
            }
        case .list, .struct:
            preconditionFailure("column batches are validated before shredding")
        }
    }
}
