import Foundation

/// A progress bar on standard error: redrawn in place on a terminal, one line
/// per tenth otherwise (so CI logs stay short).
struct ProgressBar {
    let total: Int
    let label: String
    private var done = 0
    private var lastDecile = -1
    private let isTerminal = isatty(STDERR_FILENO) == 1

    init(total: Int, label: String) {
        self.total = total
        self.label = label
    }

    mutating func advance(by count: Int) {
        done += count
        let fraction = total > 0 ? Double(done) / Double(total) : 1
        if isTerminal {
            let width = 30, filled = Int(fraction * Double(width))
            let bar = String(repeating: "#", count: filled) + String(repeating: ".", count: width - filled)
            FileHandle.standardError.write(Data("\r\(label) [\(bar)] \(done)/\(total)".utf8))
        } else if Int(fraction * 10) > lastDecile {
            lastDecile = Int(fraction * 10)
            FileHandle.standardError.write(Data("\(label): \(done)/\(total)\n".utf8))
        }
    }

    func finish() {
        if isTerminal { FileHandle.standardError.write(Data("\n".utf8)) }
    }
}
