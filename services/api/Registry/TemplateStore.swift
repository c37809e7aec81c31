import Foundation
import SynthCommon
import SynthPostgres

/// Task templates, versioned: creating a template under an existing name adds
/// a version; tasks record the version they were made from, so old tasks keep
/// pointing at theirs.
struct TemplateStore: Sendable {
    let database: PostgresClient

    struct Template: Encodable, Sendable {
        var name: String
        var version: Int
        var category: String
        var description: String?
        var parameters: [TemplateParameter]
        var template: JSONValue
        var createdAt: Date?
        var versions: [Int]?

        enum CodingKeys: String, CodingKey {
            case name, version, category, description, parameters, template, versions
            case createdAt = "created_at"
        }

        init(row: PostgresRow) throws {
            name = row["name"] ?? ""
            version = row.int("version") ?? 0
            category = row["category"] ?? ""
            description = row["description"]
            parameters = try SynthJSON.decode([TemplateParameter].self, from: Array((row["parameters"] ?? "[]").utf8))
            template = try SynthJSON.decode(JSONValue.self, from: Array((row["template"] ?? "{}").utf8))
            createdAt = row["created_at"].flatMap(TaskStore.parsePostgresTimestamp)
        }
    }

    /// Stores a new version (1 for a new name) and returns it.
    func create(name: String, category: String, description: String?, parameters: [TemplateParameter], template: JSONValue) async throws -> Template {
        let parametersJSON = String(decoding: try SynthJSON.encode(parameters), as: UTF8.self)
        let templateJSON = String(decoding: try SynthJSON.encode(template), as: UTF8.self)
        return try await database.transaction { connection in
            // Serialises concurrent creations of one name, so versions never collide.
            try await connection.query("SELECT pg_advisory_xact_lock(hashtext('synth-template:' || $1))", [name])
            let rows = try await connection.query("""
                INSERT INTO task_templates (name, version, category, description, parameters, template)
                SELECT $1, COALESCE(max(version), 0) + 1, $2, $3, $4::jsonb, $5::jsonb FROM task_templates WHERE name = $1
                RETURNING name, version, category, description, parameters, template, created_at
                """, [name, category, description, parametersJSON, templateJSON])
            guard let row = rows.first else { throw PostgresError("template insert returned nothing") }
            return try Template(row: row)
        }
    }

    /// A version, or the latest when `version` is nil; with every version number.
    func template(name: String, version: Int?) async throws -> Template? {
        let rows = try await database.query("""
            SELECT name, version, category, description, parameters, template, created_at FROM task_templates
            WHERE name = $1 AND ($2::int IS NULL OR version = $2::int) ORDER BY version DESC LIMIT 1
            """, [name, version.map(String.init)])
        guard let row = rows.first else { return nil }
        var template = try Template(row: row)
        template.versions = try await database.query("SELECT version FROM task_templates WHERE name = $1 ORDER BY version", [name])
            .compactMap { $0.int("version") }
        return template
    }

    /// The latest version of every template, by name.
    func latest(category: String?) async throws -> [Template] {
        try await database.query("""
            SELECT DISTINCT ON (name) name, version, category, description, parameters, template, created_at FROM task_templates
            WHERE $1::text IS NULL OR category = $1 ORDER BY name, version DESC LIMIT 1000
            """, [category]).map(Template.init(row:))
    }

    struct Category: Encodable, Sendable {
        var name: String
        var templates: Int
        var tasks: Int
        var finished: Int
    }

    /// Every category in use, by templates and tasks.
    func categories() async throws -> [Category] {
        try await database.query("""
            WITH t AS (SELECT category, count(DISTINCT name) AS templates FROM task_templates GROUP BY category),
                 k AS (SELECT tasks.category, count(*) AS tasks,
                              count(*) FILTER (WHERE s.status_rank = 4) AS finished
                       FROM tasks LEFT JOIN task_status s ON s.task_id = tasks.id GROUP BY tasks.category)
            SELECT COALESCE(t.category, k.category) AS name, COALESCE(t.templates, 0) AS templates,
                   COALESCE(k.tasks, 0) AS tasks, COALESCE(k.finished, 0) AS finished
            FROM t FULL JOIN k ON k.category = t.category ORDER BY 1
            """).map { Category(name: $0["name"] ?? "", templates: $0.int("templates") ?? 0, tasks: $0.int("tasks") ?? 0,
                                finished: $0.int("finished") ?? 0) }
    }
}
