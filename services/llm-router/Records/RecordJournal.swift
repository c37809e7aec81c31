import Foundation
import Logging
import Synchronization
import SynthCommon

/// Call records leave the request path through a local journal: a record is
/// appended to a segment file (one write, no fsync: it survives a crash of
/// the process, not of the machine) before the client gets the end of its
/// answer, and is published to Kafka in the background by one loop that
/// sends whatever has accumulated as a batch (no task per call on the request
/// path, one Kafka round trip for many records under load). A segment is deleted
/// once it is closed and every record in it has been acknowledged; segments
/// left by a previous run are published again at start (at-least-once;
/// consumers dedupe on the envelope's event_id). Waiting for Kafka's
/// acknowledgement on the request path instead costs tens of milliseconds.
final class RecordJournal: Sendable {
    private struct Segment {
        var url: URL
        var handle: FileHandle
        var records = 0
        var unacknowledged = 0
        var opened = ContinuousClock.now
    }

    private struct State {
        var current: Segment?
        /// Closed segments still waiting for acknowledgements, by path.
        var closed: [String: Segment] = [:]
        var sequence = 0
        /// Journaled records not yet handed to Kafka, with their segment's path.
        var pending: [(event: EncodedEvent, segment: String?)] = []
        /// Set by `close()`: the publishing loop stops retrying and ends.
        var closing = false
    }

    let directory: URL
    let publisher: EventPublisher
    let logger: Logger
    private let state = Mutex(State())
    private let maximumRecords = 2000
    private let maximumAge: Duration = .seconds(2)
    private let maximumBatch = 500
    /// Rung for each record; holds at most one ring, so under load the
    /// publishing loop finds many records per wake-up.
    private let doorbell: AsyncStream<Void>
    private let ring: AsyncStream<Void>.Continuation

    init(directory: URL, publisher: EventPublisher, logger: Logger) throws {
        self.directory = directory
        self.publisher = publisher
        self.logger = logger
        (doorbell, ring) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    /// Journals the record and starts publishing it. Returns once it is in the journal.
    func record<P: SystemEventPayload>(_ payload: P) {
        let event: EncodedEvent
        do {
            event = try publisher.encode(payload)
        } catch {
            logger.error("llm_call_record_encode_failed", metadata: ["error": "\(error)"])
            return
        }
        var line: [UInt8] = []
        line.reserveCapacity(event.topic.utf8.count + event.key.utf8.count + event.value.count + 3)
        line.append(contentsOf: event.topic.utf8)
        line.append(UInt8(ascii: "\t"))
        line.append(contentsOf: event.key.utf8)
        line.append(UInt8(ascii: "\t"))
        line.append(contentsOf: event.value)
        line.append(UInt8(ascii: "\n"))
        state.withLock { state in
            var segment: String?
            do {
                if state.current == nil || state.current!.records >= maximumRecords || ContinuousClock.now - state.current!.opened > maximumAge {
                    try rotate(&state)
                }
                try state.current!.handle.write(contentsOf: line)
                state.current!.records += 1
                state.current!.unacknowledged += 1
                segment = state.current!.url.path
            } catch {
                logger.error("llm_call_journal_write_failed", metadata: ["error": "\(error)"])
            }
            state.pending.append((event, segment))
        }
        ring.yield()
    }

    /// Publishes journaled records until `close()`: each wake-up sends all
    /// that accumulated, in batches. Run by JournalService.
    func publishUntilClosed() async {
        for await _ in doorbell {
            while true {
                let batch: [(event: EncodedEvent, segment: String?)] = state.withLock { state in
                    let count = min(state.pending.count, maximumBatch)
                    defer { state.pending.removeFirst(count) }
                    return Array(state.pending.prefix(count))
                }
                if batch.isEmpty { break }
                guard await publish(batch.map(\.event)) else { return }
                acknowledge(batch.compactMap(\.segment))
            }
        }
    }

    /// Ends `publishUntilClosed` (records still unpublished stay in the journal for the next start).
    func close() {
        state.withLock { $0.closing = true }
        ring.finish()
    }

    private func rotate(_ state: inout State) throws {
        if var current = state.current {
            try? current.handle.close()
            if current.unacknowledged == 0 {
                try? FileManager.default.removeItem(at: current.url)
            } else {
                current.opened = ContinuousClock.now
                state.closed[current.url.path] = current
            }
        }
        state.sequence += 1
        let name = String(format: "segment-%.0f-%06d.jsonl", Date().timeIntervalSince1970 * 1000, state.sequence)
        let url = directory.appendingPathComponent(name)
        // Another router stopping on the same port directory may have removed it.
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        guard FileManager.default.createFile(atPath: url.path, contents: nil) else {
            throw CocoaError(.fileWriteUnknown, userInfo: [NSFilePathErrorKey: url.path])
        }
        state.current = Segment(url: url, handle: try FileHandle(forWritingTo: url))
    }

    /// Publishes until Kafka acknowledges (a record is never dropped while
    /// the process lives) or the journal closes; returns whether it was sent.
    /// A failed batch is sent again whole: at-least-once, consumers dedupe.
    private func publish(_ events: [EncodedEvent]) async -> Bool {
        var delay = Duration.milliseconds(100)
        while true {
            do {
                try await publisher.sendAll(events)
                return true
            } catch {
                logger.error("llm_call_record_failed", metadata: ["records": "\(events.count)", "error": "\(error)"])
                if state.withLock({ $0.closing }) { return false }
                try? await Task.sleep(for: delay)
                delay = min(delay * 2, .seconds(5))
            }
        }
    }

    private func acknowledge(_ segments: [String]) {
        state.withLock { state in
            for segment in segments {
                if state.current?.url.path == segment {
                    state.current!.unacknowledged -= 1
                } else if var closed = state.closed[segment] {
                    closed.unacknowledged -= 1
                    if closed.unacknowledged == 0 {
                        state.closed[segment] = nil
                        try? FileManager.default.removeItem(atPath: segment)
                    } else {
                        state.closed[segment] = closed
                    }
                }
            }
        }
    }

    /// Publishes what a previous run left in the journal, then deletes it.
    func replay() async {
        let files = ((try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []).filter { $0.hasPrefix("segment-") }.sorted()
        let current = state.withLock { $0.current?.url.lastPathComponent }
        for file in files where file != current {
            let url = directory.appendingPathComponent(file)
            guard let data = try? Data(contentsOf: url) else { continue }
            var events: [EncodedEvent] = []
            for line in data.split(separator: UInt8(ascii: "\n")) {
                let fields = line.split(separator: UInt8(ascii: "\t"), maxSplits: 2, omittingEmptySubsequences: false)
                // A torn last line (crash mid-write) is skipped: its call was never answered.
                guard fields.count == 3, (try? JSONSerialization.jsonObject(with: Data(fields[2]))) != nil else { continue }
                events.append(EncodedEvent(topic: String(decoding: fields[0], as: UTF8.self), key: String(decoding: fields[1], as: UTF8.self),
                                           value: Array(fields[2])))
            }
            var sent = true
            for start in stride(from: 0, to: events.count, by: maximumBatch) where sent {
                sent = await publish(Array(events[start..<min(start + maximumBatch, events.count)]))
            }
            guard sent else { return }  // closing: the file stays for the next start
            try? FileManager.default.removeItem(at: url)
            logger.info("llm_call_journal_replayed", metadata: ["file": "\(file)", "records": "\(events.count)"])
        }
    }

    /// Waits (bounded) until every journaled record is acknowledged, so a
    /// clean stop leaves an empty journal.
    func drain(timeout: Duration) async {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            let pending = state.withLock { state in
                (state.current?.unacknowledged ?? 0) + state.closed.values.reduce(0) { $0 + $1.unacknowledged }
            }
            if pending == 0 { break }
            try? await Task.sleep(for: .milliseconds(10))
        }
        state.withLock { state in
            if let current = state.current, current.unacknowledged == 0 {
                try? current.handle.close()
                try? FileManager.default.removeItem(at: current.url)
                state.current = nil
            }
        }
        // An empty journal leaves no directory behind (ports differ from run to run).
        if (try? FileManager.default.contentsOfDirectory(atPath: directory.path))?.isEmpty == true {
            try? FileManager.default.removeItem(at: directory)
        }
    }

    /// Closes the current segment: used by the periodic tick so an idle router deletes acknowledged segments.
    func tick() {
        state.withLock { state in
            guard let current = state.current, ContinuousClock.now - current.opened > maximumAge else { return }
            try? rotate(&state)
            // rotate opened a fresh empty segment; drop it again until there is something to write.
            if let fresh = state.current, fresh.records == 0 {
                try? fresh.handle.close()
                try? FileManager.default.removeItem(at: fresh.url)
                state.current = nil
            }
        }
    }
}
