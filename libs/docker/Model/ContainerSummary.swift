/// One row of GET /containers/json.
public struct ContainerSummary: Sendable, Equatable, Decodable {
    public var id: String
    public var names: [String]
    public var image: String
    public var labels: [String: String]
    /// "created", "running", "exited", …
    public var state: String
    /// Human-readable, e.g. "Up 3 seconds".
    public var status: String
    /// When the container was created, in seconds since the epoch.
    public var created: Int

    enum CodingKeys: String, CodingKey {
        case id = "Id", names = "Names", image = "Image", labels = "Labels", state = "State", status = "Status"
        case created = "Created"
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        names = try container.decodeIfPresent([String].self, forKey: .names) ?? []
        image = try container.decodeIfPresent(String.self, forKey: .image) ?? ""
        labels = try container.decodeIfPresent([String: String].self, forKey: .labels) ?? [:]
        state = try container.decodeIfPresent(String.self, forKey: .state) ?? ""
        status = try container.decodeIfPresent(String.self, forKey: .status) ?? ""
        created = try container.decodeIfPresent(Int.self, forKey: .created) ?? 0
    }
}
