import ArgumentParser

// synth: the platform team's command line over the api.
@main
struct SynthCLI: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "synth",
        abstract: "Submit tasks, follow them, and export datasets through the synth api.",
        discussion: """
            The api is found through --api, SYNTH_API_URL, or "api_url" in ~/.config/synth/config.json \
            (default http://127.0.0.1:8400); the key through --api-key, SYNTH_API_KEY, or "api_key" there.
            """,
        subcommands: [Submit.self, Status.self, Watch.self, Trajectory.self, Export.self, Workers.self])
}
