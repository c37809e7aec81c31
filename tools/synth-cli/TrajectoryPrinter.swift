import Foundation
import SynthCommon

/// One readable line per step: number, tool and arguments, then the first
/// line of what the agent saw.
enum TrajectoryPrinter {
    static func line(for step: JSONValue) -> String {
        let number = step["step_number"]?.string ?? "?"
        let action = step["action"]
        let tool = action?["tool_name"]?.string ?? action?["action_type"]?.string ?? "?"
        let arguments = shorten(action?["content"]?.string ?? "", 100)
        let observation = step["observation"]
        let seen = shorten(observation?["content"]?.string?.split(separator: "\n").first.map(String.init) ?? "", 100)
        let exit = observation?["exit_code"]?.string.map { " [exit \($0)]" } ?? ""
        return "  step \(number)  \(tool) \(arguments)\n          -> \(seen)\(exit)"
    }

    static func shorten(_ text: String, _ limit: Int) -> String {
        let flat = text.replacingOccurrences(of: "\n", with: "\\n")
        return flat.count <= limit ? flat : String(flat.prefix(limit)) + "..."
    }
}
