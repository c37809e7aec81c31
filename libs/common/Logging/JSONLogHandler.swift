import Foundation
import Logging

/// Writes one JSON object per line to stderr with the fields of spec 7.2:
/// timestamp, level, component, task_id, worker_id, event, data. The log
/// message is the `event`; metadata keys task_id and worker_id go to the top
/// level and everything else into `data`.
public struct JSONLogHandler: LogHandler {
    public var metadata: Logger.Metadata = [:]
    public var logLevel: Logger.Level
    private let component: String

    public init(component: String, level: Logger.Level) {
        self.component = component
        self.logLevel = level
    }

    public subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    public func log(event: LogEvent) {
        var merged = metadata
        if let explicit = event.metadata { merged.merge(explicit) { $1 } }
        if let error = event.error { merged["error"] = "\(error)" }
        let level = event.level, message = event.message
        var object: [String: Any] = [
            "timestamp": SynthJSON.formatTimestamp(Date()),
            "level": Self.levelName(level),
            "component": component,
            "event": message.description,
        ]
        for key in ["task_id", "worker_id", "trajectory_id"] {
            if let value = merged.removeValue(forKey: key) { object[key] = Self.plain(value) }
        }
        if !merged.isEmpty { object["data"] = merged.mapValues(Self.plain) }
        guard var line = try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys, .withoutEscapingSlashes]) else { return }
        line.append(0x0A)
        FileHandle.standardError.write(line)
    }

    static func levelName(_ level: Logger.Level) -> String {
        switch level {
        case .trace: "TRACE"
        case .debug: "DEBUG"
        case .info: "INFO"
        case .notice: "NOTICE"
        case .warning: "WARN"
        case .error: "ERROR"
        case .critical: "CRITICAL"
        }
    }

    static func plain(_ value: Logger.MetadataValue) -> Any {
        switch value {
        case .string(let text):
            if let number = Int(text) { return number }
            if let number = Double(text), text.contains(".") { return number }
            return text
        case .stringConvertible(let convertible): return convertible.description
        case .array(let values): return values.map(plain)
        case .dictionary(let dictionary): return dictionary.mapValues(plain)
        }
    }
}
