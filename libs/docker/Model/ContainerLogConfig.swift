/// Where the daemon keeps a container's stdout/stderr. The default caps the
/// json-file log so a chatty task cannot fill the host's disk.
public struct ContainerLogConfig: Sendable, Equatable {
    public var driver: String
    public var options: [String: String]

    public init(driver: String = "json-file", options: [String: String] = ["max-size": "10m", "max-file": "1"]) {
        self.driver = driver
        self.options = options
    }
}
