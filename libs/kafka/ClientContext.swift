import Logging

/// What librdkafka's C callbacks need from Swift, reachable through the handle's opaque pointer.
///
/// C callbacks cannot capture Swift state, so each `rd_kafka_t` gets one of these as its
/// `opaque` (retained by `RdKafkaClient` until after `rd_kafka_destroy` returns, so a callback
/// can never see a dangling pointer).
final class ClientContext: Sendable {
    let logger: Logger
    /// Producer only: where delivery reports are routed to the awaiting `send` calls.
    let deliveries: DeliveryRegistry?
    /// Consumer only: buffered messages of revoked partitions are dropped from here on rebalance.
    let messageBuffer: MessageBuffer?
    /// Consumer only: revoked partitions stop counting as "handed out, not committed".
    let commitProgress: CommitProgress?

    init(
        logger: Logger,
        deliveries: DeliveryRegistry? = nil,
        messageBuffer: MessageBuffer? = nil,
        commitProgress: CommitProgress? = nil
    ) {
        self.logger = logger
        self.deliveries = deliveries
        self.messageBuffer = messageBuffer
        self.commitProgress = commitProgress
    }

    static func from(_ opaque: UnsafeMutableRawPointer) -> ClientContext {
        Unmanaged<ClientContext>.fromOpaque(opaque).takeUnretainedValue()
    }
}
