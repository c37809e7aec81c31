import SynthParquet

/// A nullable fixed-width leaf being built column-wise: one slot per value, a placeholder in
/// null slots (ignored by the writer), and a validity array only once a null arrives.
struct OptionalValuesBuilder<Value> {
    let placeholder: Value
    private(set) var values: [Value] = []
    private(set) var validity: [Bool]?

    init(placeholder: Value) {
        self.placeholder = placeholder
    }

    mutating func append(_ value: Value?) {
        if value == nil && validity == nil {
            validity = Array(repeating: true, count: values.count)
        }
        values.append(value ?? placeholder)
        validity?.append(value != nil)
    }

    /// Empties the builder, keeping its memory for the next batch.
    mutating func removeAll() {
        values.removeAll(keepingCapacity: true)
        validity = nil
    }

    /// `make` is the `ParquetColumn` factory of the value type (`ParquetColumn.doubles`, ...).
    func column(_ make: ([Value], [Bool]?) -> ParquetColumn) -> ParquetColumn {
        make(values, validity)
    }
}

/// A nullable `list<value>` being built column-wise: a null list repeats the last offset.
struct OptionalListBuilder<Value> {
    private(set) var offsets: [Int32] = [0]
    private(set) var elements: [Value] = []
    private(set) var validity: [Bool]?

    mutating func append(_ list: [Value]?) {
        if let list {
            elements.append(contentsOf: list)
        } else if validity == nil {
            validity = Array(repeating: true, count: offsets.count - 1)
        }
        validity?.append(list != nil)
        offsets.append(Int32(elements.count))
    }

    /// Empties the builder, keeping its memory for the next batch.
    mutating func removeAll() {
        offsets.removeAll(keepingCapacity: true)
        offsets.append(0)
        elements.removeAll(keepingCapacity: true)
        validity = nil
    }

    /// `make` is the `ParquetColumn` factory of the element type; elements are never null.
    func column(_ make: ([Value], [Bool]?) -> ParquetColumn) -> ParquetColumn {
        .list(offsets: offsets, element: make(elements, nil), validity: validity)
    }
}
