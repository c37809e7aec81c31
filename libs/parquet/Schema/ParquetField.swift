/// A named column, struct member or list element.
public struct ParquetField: Sendable, Hashable {
    public var name: String
    public var type: ParquetType
    /// Nullable fields are OPTIONAL in Parquet and accept `ParquetValue.null`; others are REQUIRED.
    public var nullable: Bool

    public init(name: String, type: ParquetType, nullable: Bool = true) {
        self.name = name
        self.type = type
        self.nullable = nullable
    }

    /// A list element field named `element`, the name the three-level list layout prescribes.
    public static func element(_ type: ParquetType, nullable: Bool = true) -> ParquetField {
        ParquetField(name: "element", type: type, nullable: nullable)
    }
}
