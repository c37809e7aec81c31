/// Path rules shared by the tar writer and reader.
enum TarPath {
    /// "./a//b/" -> "a/b"; "/" or "." -> "".
    static func normalize(_ path: String) -> String {
        path.split(separator: "/", omittingEmptySubsequences: true)
            .filter { $0 != "." }
            .joined(separator: "/")
    }

    /// Normalised path that is safe to extract: non-empty, no "..", no NUL.
    static func validated(_ path: String) throws(TarArchiveError) -> String {
        let normalized = normalize(path)
        let components = normalized.split(separator: "/")
        guard !normalized.isEmpty, !components.contains(".."), !normalized.utf8.contains(0) else {
            throw .invalidPath(path)
        }
        return normalized
    }

    /// "a/b/c" -> ["a", "a/b"].
    static func ancestors(of path: String) -> [String] {
        let components = path.split(separator: "/")
        guard components.count > 1 else { return [] }
        return (1..<components.count).map { components[0..<$0].joined(separator: "/") }
    }
}
