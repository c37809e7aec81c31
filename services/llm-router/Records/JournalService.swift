import ServiceLifecycle

/// Replays what a previous run left in the journal, then closes idle
/// segments every second so acknowledged ones are deleted.
struct JournalService: Service {
    let journal: RecordJournal

    func run() async throws {
        await journal.replay()
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            try? await Task.sleep(for: .seconds(1))
            journal.tick()
        }
        await journal.drain(timeout: .seconds(10))
    }
}
