import ServiceLifecycle

/// Publishes journaled records, replays what a previous run left in the
/// journal, and closes idle segments every second so acknowledged ones are deleted.
struct JournalService: Service {
    let journal: RecordJournal

    func run() async throws {
        // New records are published while old ones replay; the loop outlives
        // the drain below so records of the last calls still go out.
        async let publishing: Void = journal.publishUntilClosed()
        await journal.replay()
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            try? await Task.sleep(for: .seconds(1))
            journal.tick()
        }
        await journal.drain(timeout: .seconds(10))
        journal.close()
        await publishing
    }
}
