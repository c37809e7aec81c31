import Foundation
import Hummingbird
import Logging
import SynthCommon

/// The task registry: templates (versioned), tasks made from them, categories.
struct TemplateRoutes: Sendable {
    let templates: TemplateStore
    let tasks: TaskStore
    let taskRoutes: TaskRoutes
    let logger: Logger

    struct CreateBody: Decodable {
        var name: String
        var category: String
        var description: String?
        var parameters: [TemplateParameter]?
        var template: JSONValue
    }

    struct InstantiateBody: Decodable {
        var version: Int?
        var parameters: [String: JSONValue]?
    }

    struct TemplateList: Encodable {
        var items: [TemplateStore.Template]
    }

    struct CategoryList: Encodable {
        var items: [TemplateStore.Category]
    }

    /// Template names: 1 to 100 of a-z 0-9 . _ -, starting with a letter or digit.
    static func isValidName(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard (1...100).contains(bytes.count) else { return false }
        return bytes.enumerated().allSatisfy { index, byte in
            (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte)
                || (index > 0 && (byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")))
        }
    }

    /// Parameter names: identifiers of letters, digits and _, at most 64.
    static func isIdentifier(_ name: String) -> Bool {
        let bytes = Array(name.utf8)
        guard (1...64).contains(bytes.count) else { return false }
        return bytes.enumerated().allSatisfy { index, byte in
            let letter = (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
                || byte == UInt8(ascii: "_")
            return letter || (index > 0 && (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte))
        }
    }

    func register(on router: Router<BasicRequestContext>) {
        router.post("/api/v1/templates") { request, _ in try await guarded { try await create(request) } }
        router.get("/api/v1/templates") { request, _ in
            try await guarded {
                let category = try QueryParameters(request).string("category")
                return HTTPResponses.json(TemplateList(items: try await templates.latest(category: category)))
            }
        }
        router.get("/api/v1/templates/:name") { _, context in
            try await guarded {
                let name = try context.parameters.id("name")
                guard let template = try await templates.template(name: name, version: nil) else {
                    throw APIError.notFound("template", id: name, field: "name")
                }
                return HTTPResponses.json(template)
            }
        }
        router.get("/api/v1/templates/:name/versions/:version") { _, context in
            try await guarded {
                let name = try context.parameters.id("name")
                guard let version = context.parameters.get("version").flatMap(Int.init), (1...1_000_000).contains(version) else {
                    throw APIError.invalid("version", "must be a positive integer")
                }
                guard let template = try await templates.template(name: name, version: version) else {
                    throw APIError.notFound("template", id: "\(name) v\(version)", field: "version")
                }
                return HTTPResponses.json(template)
            }
        }
        router.post("/api/v1/templates/:name/tasks") { request, context in
            try await guarded { try await instantiate(request, name: try context.parameters.id("name")) }
        }
        router.get("/api/v1/categories") { _, _ in
            try await guarded { HTTPResponses.json(CategoryList(items: try await templates.categories())) }
        }
    }

    func create(_ request: Request) async throws -> Response {
        let body = try await request.decodeJSON(CreateBody.self, limit: TaskRoutes.maxBodyBytes)
        guard Self.isValidName(body.name) else {
            throw APIError.invalid("name", "must be 1 to 100 of a-z 0-9 . _ -, starting with a letter or digit", code: "invalid_template")
        }
        guard !body.category.isEmpty, body.category.count <= 100 else {
            throw APIError.invalid("category", "must be 1 to 100 characters", code: "invalid_template")
        }
        guard case .object = body.template else { throw APIError.invalid("template", "must be a JSON object (a task with {{placeholders}})", code: "invalid_template") }
        let parameters = body.parameters ?? []
        var seen: Set<String> = []
        for (index, parameter) in parameters.enumerated() {
            guard Self.isIdentifier(parameter.name) else {
                throw APIError.invalid("parameters[\(index)].name", "must be an identifier (letters, digits, _)", code: "invalid_template")
            }
            guard seen.insert(parameter.name).inserted else {
                throw APIError.invalid("parameters[\(index)].name", "'\(parameter.name)' is declared twice", code: "invalid_template")
            }
            if let value = parameter.defaultValue, !parameter.accepts(value) {
                throw APIError.invalid("parameters[\(index)].default", "must be of type \(parameter.type.rawValue)", code: "invalid_template")
            }
        }
        for name in TemplateRenderer.placeholders(in: body.template).sorted() where !seen.contains(name) {
            throw APIError.invalid("template", "uses {{\(name)}}, which is not a declared parameter", code: "invalid_template")
        }
        // The template must make a valid task for parameters of the declared types.
        var samples: [String: JSONValue] = [:]
        for parameter in parameters { samples[parameter.name] = parameter.defaultValue ?? parameter.sample }
        _ = try renderTask(body.template, values: samples, category: body.category, fieldPrefix: "template")
        let stored = try await templates.create(name: body.name, category: body.category, description: body.description,
                                                parameters: parameters, template: body.template)
        logger.info("template_created", metadata: ["template": "\(stored.name)", "version": "\(stored.version)"])
        return HTTPResponses.json(stored, status: .created)
    }

    func renderTask(_ template: JSONValue, values: [String: JSONValue], category: String, fieldPrefix: String) throws -> TaskDefinition {
        guard case .object(var fields) = TemplateRenderer.render(template, values: values) else {
            throw APIError.invalid(fieldPrefix, "must render to a JSON object")
        }
        fields["category"] = .string(category)
        fields["id"] = nil  // every instance is a new task
        let data = Data(try SynthJSON.encode(JSONValue.object(fields)))
        do {
            return try TaskRoutes.decodeTask(data, prefix: nil)
        } catch var error as APIError {
            error.field = "\(fieldPrefix).\(error.field ?? "body")"
            error.message = "\(fieldPrefix).\(error.message)"
            throw error
        }
    }

    func instantiate(_ request: Request, name: String) async throws -> Response {
        let key = try TaskRoutes.idempotencyKey(request)
        let body = try await request.decodeJSON(InstantiateBody.self, emptyDefault: InstantiateBody())
        if let version = body.version, !(1...1_000_000).contains(version) { throw APIError.invalid("version", "must be in 1...1000000") }
        guard let template = try await templates.template(name: name, version: body.version) else {
            throw APIError.notFound("template", id: body.version.map { "\(name) v\($0)" } ?? name, field: body.version == nil ? "name" : "version")
        }
        let given = body.parameters ?? [:]
        let declared = Dictionary(uniqueKeysWithValues: template.parameters.map { ($0.name, $0) })
        for name in given.keys.sorted() where declared[name] == nil {
            throw APIError.invalid("parameters.\(name)", "is not a parameter of \(template.name) v\(template.version)")
        }
        var values: [String: JSONValue] = [:]
        for parameter in template.parameters {
            if let value = given[parameter.name] {
                guard parameter.accepts(value) else {
                    throw APIError.invalid("parameters.\(parameter.name)", "must be of type \(parameter.type.rawValue)")
                }
                values[parameter.name] = value
            } else if let value = parameter.defaultValue {
                values[parameter.name] = value
            } else if parameter.required ?? true {
                throw APIError.invalid("parameters.\(parameter.name)", "is required")
            } else {
                values[parameter.name] = .string("")
            }
        }
        let task = try renderTask(template.template, values: values, category: template.category, fieldPrefix: "parameters")
        let stored = try await tasks.submit([.init(task: task, idempotencyKey: key, template: (template.name, template.version))])[0]
        if stored.created { taskRoutes.submitted(task) }
        guard let view = try await tasks.task(id: stored.id) else { throw APIError.notFound("task", id: stored.id) }
        return HTTPResponses.json(view, status: stored.created ? .created : .ok)
    }
}
