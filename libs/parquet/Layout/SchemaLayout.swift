/// The user schema translated into Parquet's terms: the footer's flattened schema elements,
/// the leaf columns with their maximum levels, and the annotated field tree used to shred rows.
struct SchemaLayout: Sendable {
    static let rootName = "schema"

    private(set) var elements: [SchemaElement] = []
    private(set) var columns: [ColumnDescriptor] = []
    private(set) var fields: [FieldNode] = []

    init(schema: ParquetSchema) throws {
        guard !schema.fields.isEmpty else {
            throw ParquetWriterError.invalidSchema("the schema has no columns")
        }
        try Self.requireUniqueNames(schema.fields, in: "the schema")
        elements.append(SchemaElement(name: Self.rootName, childCount: Int32(schema.fields.count)))
        for field in schema.fields {
            fields.append(try addField(field, parentPath: [], parentDefinitionLevel: 0, repetitionLevel: 0))
        }
    }

    /// Appends the schema elements and leaf columns of `field` depth-first, as the footer lists them.
    private mutating func addField(
        _ field: ParquetField, parentPath: [String], parentDefinitionLevel: Int, repetitionLevel: Int
    ) throws -> FieldNode {
        let path = parentPath + [field.name]
        guard !field.name.isEmpty else {
            throw ParquetWriterError.invalidSchema("a field below '\(parentPath.joined(separator: "."))' has an empty name")
        }
        let repetition: FieldRepetitionType = field.nullable ? .optional : .required
        let definitionLevel = parentDefinitionLevel + (field.nullable ? 1 : 0)
        let firstColumn = columns.count
        let content: FieldNode.Content

        switch field.type {
        case .struct(let members):
            guard !members.isEmpty else {
                throw ParquetWriterError.invalidSchema("struct '\(path.joined(separator: "."))' has no fields")
            }
            try Self.requireUniqueNames(members, in: "struct '\(path.joined(separator: "."))'")
            elements.append(SchemaElement(repetition: repetition, name: field.name, childCount: Int32(members.count)))
            var children: [FieldNode] = []
            for member in members {
                children.append(try addField(
                    member, parentPath: path, parentDefinitionLevel: definitionLevel, repetitionLevel: repetitionLevel))
            }
            content = .group(children)

        case .list(let element):
            // Standard three-level layout (LogicalTypes.md, "Lists"):
            // <repetition> group <name> (LIST) { repeated group list { <element> } }
            elements.append(SchemaElement(
                repetition: repetition, name: field.name, childCount: 1, convertedType: .list, logicalType: .list))
            elements.append(SchemaElement(repetition: .repeated, name: "list", childCount: 1))
            let elementNode = try addField(
                element, parentPath: path + ["list"],
                parentDefinitionLevel: definitionLevel + 1, repetitionLevel: repetitionLevel + 1)
            content = .list(element: elementNode, repetitionLevel: repetitionLevel + 1)

        default:
            guard let leafType = LeafType(field.type) else {
                preconditionFailure("every non-nested ParquetType has a LeafType")
            }
            elements.append(SchemaElement(
                type: leafType.physicalType, repetition: repetition, name: field.name,
                convertedType: leafType.convertedType, logicalType: leafType.logicalType))
            columns.append(ColumnDescriptor(
                path: path, leafType: leafType,
                maxDefinitionLevel: definitionLevel, maxRepetitionLevel: repetitionLevel))
            content = .leaf(columnIndex: firstColumn, type: leafType)
        }

        return FieldNode(
            name: field.name, type: field.type, nullable: field.nullable, definitionLevel: definitionLevel,
            columnRange: firstColumn..<columns.count, content: content)
    }

    /// Readers address columns by dotted path, so sibling names must differ.
    private static func requireUniqueNames(_ fields: [ParquetField], in owner: String) throws {
        var seen = Set<String>()
        for field in fields where !seen.insert(field.name).inserted {
            throw ParquetWriterError.invalidSchema("\(owner) has two fields named '\(field.name)'")
        }
    }
}
