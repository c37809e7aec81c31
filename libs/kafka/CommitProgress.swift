/// Which handed-out messages are not committed yet, per partition.
///
/// `close()` uses it to let the application commit the messages it is still working on before
/// the consumer leaves the group, instead of failing those commits and causing redelivery.
final class CommitProgress: Sendable {
    private struct State {
        /// Highest offset handed to the application, per partition.
        var handedOut: [TopicPartition: Int64] = [:]
        /// Next offset to read as committed by us, per partition.
        var committed: [TopicPartition: Int64] = [:]
    }

    private let state = LockedState(State())

    func handedOut(_ message: KafkaMessage) {
        let key = TopicPartition(topic: message.topic, partition: message.partition)
        state.withLock { $0.handedOut[key] = max($0.handedOut[key] ?? -1, message.offset) }
    }

    func committed(_ offsets: [TopicPartition: Int64]) {
        state.withLock { state in
            for (key, offset) in offsets {
                state.committed[key] = max(state.committed[key] ?? Int64.min, offset)
            }
        }
    }

    /// Partitions taken away by a rebalance: their commits are no longer ours to wait for.
    func forget(_ partitions: some Sequence<TopicPartition>) {
        state.withLock { state in
            for key in partitions {
                state.handedOut[key] = nil
                state.committed[key] = nil
            }
        }
    }

    /// Whether every message handed out so far has been committed.
    var isSettled: Bool {
        state.withLock { state in
            state.handedOut.allSatisfy { key, offset in (state.committed[key] ?? -1) > offset }
        }
    }
}
