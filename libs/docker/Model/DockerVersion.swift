/// GET /version, reduced to what callers check.
public struct DockerVersion: Sendable, Equatable, Decodable {
    public var version: String
    public var apiVersion: String
    public var minimumAPIVersion: String?
    public var operatingSystem: String
    public var architecture: String
    public var kernelVersion: String?

    enum CodingKeys: String, CodingKey {
        case version = "Version", apiVersion = "ApiVersion", minimumAPIVersion = "MinAPIVersion"
        case operatingSystem = "Os", architecture = "Arch", kernelVersion = "KernelVersion"
    }
}
