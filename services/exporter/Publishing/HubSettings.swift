import SynthCommon

/// Where dataset versions are published on a Hugging Face Hub-compatible service; nil settings
/// (no `SYNTH_HF_REPO`) leave Hub publishing off.
struct HubSettings: Sendable {
    /// e.g. `https://huggingface.co`, or a self-hosted Hub.
    var endpoint: String
    /// `<namespace>/<name>` of the dataset repository; created when missing.
    var repoID: String
    /// Sent only as `Authorization: Bearer` to the Hub itself, never logged or put in a URL.
    var token: String
    var revision: String
    var privateRepository: Bool

    static func load(_ environment: EnvironmentReader) throws -> HubSettings? {
        guard let repoID = environment.optionalString("SYNTH_HF_REPO") else { return nil }
        guard repoID.split(separator: "/").count == 2 else {
            throw ExporterSettings.Invalid(description: "SYNTH_HF_REPO=\(repoID): expected <namespace>/<name>")
        }
        guard let token = environment.optionalString("SYNTH_HF_TOKEN") ?? environment.optionalString("HF_TOKEN") else {
            throw ExporterSettings.Invalid(description: "SYNTH_HF_REPO is set but no token: set SYNTH_HF_TOKEN (or SYNTH_HF_TOKEN_FILE, or HF_TOKEN)")
        }
        let endpoint = environment.string("SYNTH_HF_ENDPOINT", default: "https://huggingface.co")
        return HubSettings(endpoint: endpoint.hasSuffix("/") ? String(endpoint.dropLast()) : endpoint, repoID: repoID, token: token,
                           revision: environment.string("SYNTH_HF_REVISION", default: "main"),
                           privateRepository: environment.string("SYNTH_HF_PRIVATE", default: "true") != "false")
    }
}
