import ArgumentParser
import Foundation

/// Where the api is and how to authenticate, from flags, the environment, or
/// the config file, in that order.
struct ConnectionOptions: ParsableArguments {
    @Option(help: "The api's base URL.")
    var api: String?

    @Option(name: .customLong("api-key"), help: "The API key (prefer SYNTH_API_KEY: flags show up in ps).")
    var apiKey: String?

    @Option(help: "Config file with {\"api_url\": ..., \"api_key\": ...}.")
    var config: String = NSString(string: "~/.config/synth/config.json").expandingTildeInPath

    func client() throws -> APIClient {
        let environment = ProcessInfo.processInfo.environment
        var file: [String: String] = [:]
        if let data = FileManager.default.contents(atPath: config) {
            guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                throw CLIError("the config file \(config) is not a JSON object")
            }
            file = object.compactMapValues { $0 as? String }
        }
        let url = api ?? environment["SYNTH_API_URL"] ?? file["api_url"] ?? "http://127.0.0.1:8400"
        let key = apiKey ?? environment["SYNTH_API_KEY"] ?? file["api_key"]
        return try APIClient(baseURL: url, apiKey: key)
    }
}

/// A failure the user can act on: printed as one line, exit code 1.
struct CLIError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
