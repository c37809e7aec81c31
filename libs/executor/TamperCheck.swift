/// Files an agent could plant or edit to change how the hidden tests run
/// rather than what they test: pytest plugins and configuration, and Python
/// start-up hooks. A patch that creates or changes one of them is treated as
/// tampering with verification (the task fails), unless the task lists the
/// path as one the agent may change.
public enum TamperCheck {
    public static let protectedNames: Set<String> = ["conftest.py", "pytest.ini", "sitecustomize.py", "usercustomize.py"]

    /// Paths changed by a git-style patch ("diff --git a/X b/X" lines).
    public static func changedPaths(inPatch patch: String) -> [String] {
        patch.split(separator: "\n").compactMap { line -> String? in
            guard line.hasPrefix("diff --git a/"), let space = line.range(of: " b/") else { return nil }
            return String(line[line.index(line.startIndex, offsetBy: "diff --git a/".count)..<space.lowerBound])
        }
    }

    /// The changed paths that touch verification: protected names, `.pth`
    /// files, and the hidden tests' own paths.
    public static func suspicious(changed: [String], hiddenTestPaths: Set<String>, allowed: Set<String> = []) -> [String] {
        changed.filter { path in
            guard !allowed.contains(path) else { return false }
            let name = path.split(separator: "/").last.map(String.init) ?? path
            return protectedNames.contains(name) || name.hasSuffix(".pth") || hiddenTestPaths.contains(path)
        }
    }
}
