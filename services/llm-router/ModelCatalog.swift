import Foundation
import SynthCommon

/// The models the router serves, from the JSON file named by
/// SYNTH_ROUTER_CONFIG: `{"models": [{"name", "provider", "base_url",
/// "api_key_env", "input_price_per_million", "output_price_per_million"}]}`.
/// The oracle is always present. API keys are read from the environment at
/// call time, never stored in the file or logged.
struct ModelCatalog: Sendable {
    struct Model: Codable, Sendable {
        var name: String
        var provider: String
        var baseURL: String
        var apiKeyEnv: String?
        /// The upstream's own name for the model, when it differs.
        var upstreamModel: String?
        var inputPricePerMillion: Double
        var outputPricePerMillion: Double

        enum CodingKeys: String, CodingKey {
            case name, provider
            case baseURL = "base_url", apiKeyEnv = "api_key_env", upstreamModel = "upstream_model"
            case inputPricePerMillion = "input_price_per_million", outputPricePerMillion = "output_price_per_million"
        }
    }

    struct File: Codable { var models: [Model] }

    static let oracleName = "oracle"
    var models: [String: Model]

    static func load(_ environment: EnvironmentReader = EnvironmentReader()) throws -> ModelCatalog {
        var models: [String: Model] = [:]
        if let path = environment.optionalString("SYNTH_ROUTER_CONFIG") {
            let data = try Data(contentsOf: URL(fileURLWithPath: path))
            for model in try JSONDecoder().decode(File.self, from: data).models { models[model.name] = model }
        }
        return ModelCatalog(models: models)
    }

    var names: [String] { [Self.oracleName] + models.keys.sorted() }

    func cost(_ model: Model, promptTokens: Int, completionTokens: Int) -> Double {
        (Double(promptTokens) * model.inputPricePerMillion + Double(completionTokens) * model.outputPricePerMillion) / 1_000_000
    }
}
