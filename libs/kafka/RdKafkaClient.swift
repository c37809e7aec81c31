import CRdKafka
import Foundation
import Logging

/// Owns one `rd_kafka_t` handle and decides when it may be used and when it is destroyed.
///
/// librdkafka allows concurrent calls on one handle from many threads, but not a call that
/// races with `rd_kafka_destroy`. Every use from outside the owning poll thread therefore goes
/// through `withHandle`, which registers the use; `destroy()` first refuses new uses, waits for
/// the registered ones to finish and only then destroys the handle.
final class RdKafkaClient: @unchecked Sendable {
    // Safe to share: `handle` and `context` are immutable; the mutable use counters are guarded
    // by `condition`; the handle itself is thread-safe in librdkafka until destroyed, and
    // destruction is serialised behind the use counter (see above).
    private let handle: OpaquePointer
    private let context: Unmanaged<ClientContext>
    private let condition = NSCondition()
    private var acceptsUses = true
    private var usesInFlight = 0
    private var isDestroyed = false
    private let what: String

    /// Creates the handle. `configure` may install role-specific callbacks on the configuration.
    init(
        type: rd_kafka_type_t,
        properties: [String: String],
        context: ClientContext,
        what: String,
        configure: (OpaquePointer) -> Void = { _ in }
    ) throws {
        let configuration = rd_kafka_conf_new()!
        do {
            // Sorted so that configuration errors are reported deterministically.
            for (name, value) in properties.sorted(by: { $0.key < $1.key }) {
                try Self.set(name, value, on: configuration)
            }
        } catch {
            rd_kafka_conf_destroy(configuration)
            throw error
        }
        let retainedContext = Unmanaged.passRetained(context)
        rd_kafka_conf_set_opaque(configuration, retainedContext.toOpaque())
        Self.installLogAndErrorCallbacks(on: configuration)
        configure(configuration)

        var errorText = [CChar](repeating: 0, count: 512)
        let created = errorText.withUnsafeMutableBufferPointer { buffer in
            rd_kafka_new(type, configuration, buffer.baseAddress, buffer.count)
        }
        guard let created else {
            // On failure rd_kafka_new leaves the configuration to us.
            rd_kafka_conf_destroy(configuration)
            retainedContext.release()
            throw KafkaError(RD_KAFKA_RESP_ERR__INVALID_ARG, message: Self.string(from: errorText))
        }
        self.handle = created
        self.context = retainedContext
        self.what = what
    }

    /// The handle for the thread that owns this client (its poll thread), which is also the only
    /// thread that calls `destroy()`, so its uses are ordered before destruction by construction.
    var ownerHandle: OpaquePointer { handle }

    /// Runs `body` with the handle unless the client is shutting down (then throws `clientClosed`).
    func withHandle<Result>(_ body: (OpaquePointer) throws -> Result) throws -> Result {
        condition.lock()
        guard acceptsUses else {
            condition.unlock()
            throw KafkaError.closed(what)
        }
        usesInFlight += 1
        condition.unlock()
        defer {
            condition.lock()
            usesInFlight -= 1
            if usesInFlight == 0 { condition.broadcast() }
            condition.unlock()
        }
        return try body(handle)
    }

    /// Refuses new `withHandle` uses and waits for the ones in flight. Blocks: call it from a
    /// dedicated thread only.
    func stopAcceptingUses() {
        condition.lock()
        acceptsUses = false
        while usesInFlight > 0 { condition.wait() }
        condition.unlock()
    }

    /// Destroys the handle once no use is in flight. Idempotent. Blocks (librdkafka joins its
    /// threads): call it from a dedicated thread only.
    func destroy() {
        stopAcceptingUses()
        condition.lock()
        let alreadyDestroyed = isDestroyed
        isDestroyed = true
        condition.unlock()
        guard !alreadyDestroyed else { return }
        rd_kafka_destroy(handle)
        // Only now can no callback run any more, so the context may go.
        context.release()
    }

    deinit {
        // Normally the owner destroyed us already; this covers error paths in initialisers.
        if !isDestroyed {
            rd_kafka_destroy(handle)
            context.release()
        }
    }

    static func set(_ name: String, _ value: String, on configuration: OpaquePointer) throws {
        var errorText = [CChar](repeating: 0, count: 512)
        let result = errorText.withUnsafeMutableBufferPointer { buffer in
            rd_kafka_conf_set(configuration, name, value, buffer.baseAddress, buffer.count)
        }
        guard result == RD_KAFKA_CONF_OK else {
            throw KafkaError(RD_KAFKA_RESP_ERR__INVALID_ARG, message: Self.string(from: errorText))
        }
    }

    static func string(from buffer: [CChar]) -> String {
        buffer.withUnsafeBufferPointer { pointer in
            String(cString: pointer.baseAddress!)
        }
    }

    /// Routes librdkafka's log lines and error events to swift-log.
    private static func installLogAndErrorCallbacks(on configuration: OpaquePointer) {
        // Called from librdkafka's internal threads (log.queue is off), hence only Sendable state.
        rd_kafka_conf_set_log_cb(configuration) { handle, level, facility, text in
            guard let handle, let opaque = rd_kafka_opaque(handle) else { return }
            let logger = ClientContext.from(opaque).logger
            let message = text.map { String(cString: $0) } ?? ""
            let facilityName = facility.map { String(cString: $0) } ?? ""
            logger.log(
                level: RdKafkaClient.logLevel(syslogLevel: level),
                "\(message)",
                metadata: ["librdkafka.facility": "\(facilityName)"]
            )
        }
        // Served by whichever thread polls the handle (the poll thread).
        rd_kafka_conf_set_error_cb(configuration) { _, error, reason, opaque in
            guard let opaque else { return }
            let logger = ClientContext.from(opaque).logger
            let code = KafkaError.Code(rawValue: error)
            let text = reason.map { String(cString: $0) } ?? ""
            // Most errors here are transient (a broker connection dropped, all brokers down);
            // librdkafka retries by itself, so they are warnings unless fatal. Connection
            // failures were already logged by librdkafka itself (facility FAIL).
            let level: Logger.Level
            switch code {
            case .fatal: level = .error
            case .transport: level = .debug
            default: level = .warning
            }
            logger.log(level: level, "librdkafka error \(code.name): \(text)")
        }
    }

    private static func logLevel(syslogLevel: Int32) -> Logger.Level {
        switch syslogLevel {
        case ...2: return .critical
        case 3: return .error
        case 4: return .warning
        case 5: return .notice
        case 6: return .info
        default: return .debug
        }
    }
}
