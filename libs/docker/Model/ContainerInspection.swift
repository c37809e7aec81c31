/// GET /containers/{id}/json, reduced to what the executor needs.
public struct ContainerInspection: Sendable, Equatable {
    public var id: String
    /// Without the leading "/" the Engine puts in front of names.
    public var name: String
    public var image: String
    public var labels: [String: String]
    public var state: ContainerState
}
