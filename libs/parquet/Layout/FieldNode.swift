/// A field of the user schema annotated with what shredding needs: the definition level it
/// reaches when present and which leaf columns lie below it.
///
/// A class with constant members: shredding walks this tree for every value, and a reference
/// is cheaper to follow than an `indirect` enum box holding a struct copy.
final class FieldNode: Sendable {
    enum Content: Sendable {
        case leaf(columnIndex: Int, type: LeafType)
        case group([FieldNode])
        /// `repetitionLevel` is the level of the synthetic repeated `list` group: entries after
        /// the first one of a list start with it.
        case list(element: FieldNode, repetitionLevel: Int)
    }

    let name: String
    let type: ParquetType
    let nullable: Bool
    /// Definition level of every leaf below this field when the field itself is non-null.
    let definitionLevel: Int
    /// Leaf columns below this field; contiguous because leaves are numbered depth-first.
    let columnRange: Range<Int>
    let content: Content

    init(name: String, type: ParquetType, nullable: Bool, definitionLevel: Int, columnRange: Range<Int>, content: Content) {
        self.name = name
        self.type = type
        self.nullable = nullable
        self.definitionLevel = definitionLevel
        self.columnRange = columnRange
        self.content = content
    }
}
