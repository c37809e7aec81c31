import CRdKafka
import Foundation
import Logging

/// The producer's librdkafka handle, its delivery-report poll thread and its shutdown sequence.
///
/// Kept apart from `KafkaProducer` so that the poll thread references only this object: when the
/// last `KafkaProducer` reference goes away its `deinit` can still ask the thread to shut down.
final class ProducerCore: Sendable {
    enum EnqueueOutcome {
        case enqueued
        case queueFull
        case failed(KafkaError)
    }

    let client: RdKafkaClient
    let deliveries: DeliveryRegistry
    let configuration: KafkaProducerConfiguration
    let logger: Logger
    let shutdownComplete = CompletionSignal()
    /// Where `flush(timeout:)` blocks, away from the cooperative pool and the poll thread.
    let blockingQueue = DispatchQueue(label: "synth.kafka.producer.blocking")
    private let shutdownRequested = LockedState(false)

    init(configuration: KafkaProducerConfiguration, logger: Logger) throws {
        let deliveries = DeliveryRegistry()
        self.deliveries = deliveries
        self.configuration = configuration
        self.logger = logger
        self.client = try RdKafkaClient(
            type: RD_KAFKA_PRODUCER,
            properties: configuration.librdkafkaProperties,
            context: ClientContext(logger: logger, deliveries: deliveries),
            what: "KafkaProducer"
        ) { librdkafkaConfiguration in
            // Runs on the poll thread (inside rd_kafka_poll / rd_kafka_flush), once per message.
            rd_kafka_conf_set_dr_msg_cb(librdkafkaConfiguration) { _, message, opaque in
                guard let message, let opaque, let deliveries = ClientContext.from(opaque).deliveries else { return }
                let id = UInt(bitPattern: message.pointee._private)
                let error = message.pointee.err
                if error == RD_KAFKA_RESP_ERR_NO_ERROR {
                    deliveries.complete(id: id, with: .success((message.pointee.partition, message.pointee.offset)))
                } else {
                    let text = String(cString: rd_kafka_message_errstr(message))
                    deliveries.complete(id: id, with: .failure(KafkaError(error, message: text)))
                }
            }
        }
    }

    func startPollThread() {
        let thread = Thread { [self] in runPollLoop() }
        thread.name = "synth.kafka.producer.poll"
        thread.start()
    }

    func requestShutdown() {
        shutdownRequested.withLock { $0 = true }
    }

    private var isShutdownRequested: Bool { shutdownRequested.withLock { $0 } }

    /// Enqueues one record; its delivery report will complete `tracker` at `index`.
    /// Waits (without blocking a thread) while librdkafka's local queue is full.
    func enqueue(_ record: KafkaRecord, tracker: DeliveryTracker, index: Int) async throws {
        let id = deliveries.register(tracker, index: index)
        while true {
            let outcome: EnqueueOutcome
            do {
                outcome = try client.withHandle { handle in Self.produce(record, opaque: id, on: handle) }
            } catch {
                deliveries.unregister(id)
                throw error
            }
            switch outcome {
            case .enqueued:
                return
            case .queueFull:
                do {
                    try await Task.sleep(for: configuration.queueFullBackoff)
                } catch {
                    deliveries.unregister(id)
                    throw error
                }
            case .failed(let error):
                deliveries.unregister(id)
                throw error
            }
        }
    }

    /// Hands one record to librdkafka. Payload, key and headers are copied, so the Swift buffers
    /// only need to live for the duration of this call.
    private static func produce(_ record: KafkaRecord, opaque id: UInt, on handle: OpaquePointer) -> EnqueueOutcome {
        let headers = makeHeaders(record.headers)
        let error: OpaquePointer? = record.topic.withCString { topic in
            record.value.withUnsafeBytes { value in
                withUnsafeBytesIfPresent(record.key) { key in
                    var arguments: [rd_kafka_vu_t] = []
                    arguments.reserveCapacity(7)
                    var argument = rd_kafka_vu_t()

                    argument.vtype = RD_KAFKA_VTYPE_TOPIC
                    argument.u.cstr = topic
                    arguments.append(argument)

                    argument = rd_kafka_vu_t()
                    argument.vtype = RD_KAFKA_VTYPE_VALUE
                    argument.u.mem.ptr = UnsafeMutableRawPointer(mutating: value.baseAddress)
                    argument.u.mem.size = value.count
                    arguments.append(argument)

                    if let key {
                        argument = rd_kafka_vu_t()
                        argument.vtype = RD_KAFKA_VTYPE_KEY
                        argument.u.mem.ptr = UnsafeMutableRawPointer(mutating: key.baseAddress)
                        argument.u.mem.size = key.count
                        arguments.append(argument)
                    }

                    argument = rd_kafka_vu_t()
                    argument.vtype = RD_KAFKA_VTYPE_PARTITION
                    argument.u.i32 = record.partition ?? RD_KAFKA_PARTITION_UA
                    arguments.append(argument)

                    argument = rd_kafka_vu_t()
                    argument.vtype = RD_KAFKA_VTYPE_MSGFLAGS
                    argument.u.i = RD_KAFKA_MSG_F_COPY
                    arguments.append(argument)

                    argument = rd_kafka_vu_t()
                    argument.vtype = RD_KAFKA_VTYPE_OPAQUE
                    argument.u.ptr = UnsafeMutableRawPointer(bitPattern: id)
                    arguments.append(argument)

                    if let headers {
                        argument = rd_kafka_vu_t()
                        argument.vtype = RD_KAFKA_VTYPE_HEADERS
                        argument.u.headers = headers
                        arguments.append(argument)
                    }
                    return rd_kafka_produceva(handle, arguments, arguments.count)
                }
            }
        }
        guard let error else { return .enqueued }
        // The message took ownership of the headers only if it was accepted.
        if let headers { rd_kafka_headers_destroy(headers) }
        if rd_kafka_error_code(error) == RD_KAFKA_RESP_ERR__QUEUE_FULL {
            rd_kafka_error_destroy(error)
            return .queueFull
        }
        return .failed(KafkaError(consuming: error))
    }

    private static func makeHeaders(_ headers: [(String, [UInt8])]) -> OpaquePointer? {
        guard !headers.isEmpty else { return nil }
        let list = rd_kafka_headers_new(headers.count)!
        for (name, value) in headers {
            value.withUnsafeBytes { bytes in
                // -1: name is NUL-terminated; the value is copied.
                _ = rd_kafka_header_add(list, name, -1, bytes.baseAddress, bytes.count)
            }
        }
        return list
    }

    private static func withUnsafeBytesIfPresent<Result>(
        _ bytes: [UInt8]?, _ body: (UnsafeRawBufferPointer?) -> Result
    ) -> Result {
        guard let bytes else { return body(nil) }
        return bytes.withUnsafeBytes { body($0) }
    }

    /// Serves delivery reports until shutdown is requested, then flushes, purges what is left
    /// (so every waiting `send` gets an answer) and destroys the handle.
    private func runPollLoop() {
        let handle = client.ownerHandle
        while !isShutdownRequested {
            // Blocks up to 100 ms; that bounds how long a shutdown request goes unnoticed.
            rd_kafka_poll(handle, 100)
        }
        // From here on `send` fails with `clientClosed`; sends already inside librdkafka finish.
        client.stopAcceptingUses()
        let flushTimeout = configuration.shutdownFlushTimeout.librdkafkaMilliseconds
        if rd_kafka_flush(handle, flushTimeout) != RD_KAFKA_RESP_ERR_NO_ERROR {
            logger.warning(
                "KafkaProducer shutdown: messages still undelivered after the flush timeout; purging them",
                metadata: ["queued": "\(rd_kafka_outq_len(handle))"]
            )
            let flags = RD_KAFKA_PURGE_F_QUEUE | RD_KAFKA_PURGE_F_INFLIGHT
            _ = rd_kafka_purge(handle, flags)
            // Purged messages get `_PURGE_*` delivery reports, served by this flush.
            _ = rd_kafka_flush(handle, 2000)
        }
        client.destroy()
        // Anything still registered never got a report (should not happen after the purge);
        // fail it rather than leave its caller suspended forever.
        deliveries.failAll(with: KafkaError.closed("KafkaProducer"))
        shutdownComplete.fire()
    }
}
