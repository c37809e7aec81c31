/// A leaf column of the flattened schema: what is stored and at which nesting depth.
struct ColumnDescriptor: Sendable {
    /// Names from the root to the leaf, including the synthetic `list` groups of lists.
    var path: [String]
    var leafType: LeafType
    /// Definition level of a present value; lower levels say which ancestor was null or empty.
    var maxDefinitionLevel: Int
    /// Number of repeated ancestors; repetition levels say at which list a new entry starts.
    var maxRepetitionLevel: Int

    var dottedPath: String {
        path.joined(separator: ".")
    }
}
