/// A field of the user schema annotated with what shredding needs: the definition level it
/// reaches when present and which leaf columns lie below it.
struct FieldNode: Sendable {
    indirect enum Content: Sendable {
        case leaf(columnIndex: Int, type: LeafType)
        case group([FieldNode])
        /// `repetitionLevel` is the level of the synthetic repeated `list` group: entries after
        /// the first one of a list start with it.
        case list(element: FieldNode, repetitionLevel: Int)
    }

    var name: String
    var type: ParquetType
    var nullable: Bool
    /// Definition level of every leaf below this field when the field itself is non-null.
    var definitionLevel: Int
    /// Leaf columns below this field; contiguous because leaves are numbered depth-first.
    var columnRange: Range<Int>
    var content: Content
}
