import Foundation

/// Reads settings from environment variables, with typed defaults. Every
/// variable a service reads goes through here, so `names` lists them all
/// (compose.yaml is checked against that list).
public struct EnvironmentReader: Sendable {
    private let values: [String: String]

    public init(_ values: [String: String] = ProcessInfo.processInfo.environment) {
        self.values = values
    }

    public func string(_ name: String, default fallback: String) -> String {
        optionalString(name) ?? fallback
    }

    /// `NAME`, or else the contents of the file named by `NAME_FILE`: the
    /// convention container secrets use, so secrets never sit in the
    /// environment or an image.
    public func optionalString(_ name: String) -> String? {
        if let value = values[name], !value.isEmpty { return value }
        guard let path = values[name + "_FILE"], !path.isEmpty,
              let text = try? String(contentsOfFile: path, encoding: .utf8) else { return nil }
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        return trimmed.isEmpty ? nil : trimmed
    }

    public func int(_ name: String, default fallback: Int) throws -> Int {
        guard let text = optionalString(name) else { return fallback }
        guard let value = Int(text) else { throw ConfigurationError(name: name, message: "expected an integer, got '\(text)'") }
        return value
    }

    public func double(_ name: String, default fallback: Double) throws -> Double {
        guard let text = optionalString(name) else { return fallback }
        guard let value = Double(text) else { throw ConfigurationError(name: name, message: "expected a number, got '\(text)'") }
        return value
    }
}

public struct ConfigurationError: Error, CustomStringConvertible {
    public var name: String
    public var message: String

    public init(name: String, message: String) {
        self.name = name
        self.message = message
    }

    public var description: String { "configuration \(name): \(message)" }
}
