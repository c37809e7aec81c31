/// The messages of a `KafkaConsumer`, as an `AsyncSequence`.
///
/// Several tasks may iterate concurrently; each message goes to exactly one of them. An iterator
/// returns `nil` when the consumer is closed or the iterating task is cancelled.
public struct KafkaConsumerMessages: AsyncSequence, Sendable {
    public typealias Element = KafkaMessage

    let consumer: KafkaConsumer

    public struct AsyncIterator: AsyncIteratorProtocol, Sendable {
        let consumer: KafkaConsumer

        public mutating func next() async throws -> KafkaMessage? {
            try await consumer.nextMessage()
        }
    }

    public func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(consumer: consumer)
    }
}
