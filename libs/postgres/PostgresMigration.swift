/// One versioned schema change. `component` namespaces versions so each
/// service migrates only the tables it owns.
public struct PostgresMigration: Sendable {
    public let component: String
    public let version: Int
    public let name: String
    public let sql: String

    public init(component: String, version: Int, name: String, sql: String) {
        self.component = component
        self.version = version
        self.name = name
        self.sql = sql
    }
}
