import SynthCommon

struct ExporterSettings: Sendable {
    /// Datasets are written under `<outputRoot>/<export_id>/`.
    var outputRoot: String
    /// Seconds between scheduled exports; 0 turns the schedule off.
    var intervalSeconds: Double

    static func load(home: String, _ environment: EnvironmentReader = EnvironmentReader()) throws -> ExporterSettings {
        ExporterSettings(outputRoot: environment.string("SYNTH_DATASET_DIR", default: home + "/datasets"),
                         intervalSeconds: try environment.double("SYNTH_EXPORT_INTERVAL_SECONDS", default: 0))
    }
}
