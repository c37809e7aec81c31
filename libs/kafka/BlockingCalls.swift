import Dispatch

extension DispatchQueue {
    /// Runs a blocking librdkafka call on this queue and suspends the caller until it returns.
    ///
    /// Calls such as `rd_kafka_flush`, `rd_kafka_query_watermark_offsets` or waiting on a
    /// result queue park their thread; running them here keeps Swift's cooperative thread
    /// pool (which has only as many threads as cores) free for other tasks.
    func runBlocking<Result: Sendable>(_ body: @escaping @Sendable () throws -> Result) async throws -> Result {
        try await withCheckedThrowingContinuation { continuation in
            self.async {
                continuation.resume(with: Swift.Result { try body() })
            }
        }
    }
}

extension Duration {
    /// Whole milliseconds, clamped to what librdkafka's `int timeout_ms` parameters accept.
    var librdkafkaMilliseconds: Int32 {
        let (seconds, attoseconds) = components
        guard seconds < Int64(Int32.max) / 1000 else { return Int32.max }
        let milliseconds = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        return Int32(clamping: max(0, milliseconds))
    }
}
