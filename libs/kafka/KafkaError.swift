import CRdKafka

/// An error reported by librdkafka (or by this library, using librdkafka's error codes).
///
/// `code` is librdkafka's `rd_kafka_resp_err_t`: negative values are client-side errors
/// (`_MSG_TIMED_OUT`, `_TRANSPORT`, ...), positive ones come from the broker protocol.
public struct KafkaError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A librdkafka error code; compare against the well-known constants below.
    public struct Code: Sendable, Hashable, CustomStringConvertible {
        public let rawValue: Int32

        public init(rawValue: Int32) {
            self.rawValue = rawValue
        }

        init(_ error: rd_kafka_resp_err_t) {
            self.rawValue = error.rawValue
        }

        /// librdkafka's symbolic name, e.g. `_MSG_TIMED_OUT` or `UNKNOWN_TOPIC_OR_PART`.
        public var name: String {
            String(cString: rd_kafka_err2name(rd_kafka_resp_err_t(rawValue: rawValue)))
        }

        public var description: String { name }

        /// The client has been shut down / closed (librdkafka's `_DESTROY`).
        public static let clientClosed = Code(RD_KAFKA_RESP_ERR__DESTROY)
        /// The message could not be delivered within `message.timeout.ms`.
        public static let messageTimedOut = Code(RD_KAFKA_RESP_ERR__MSG_TIMED_OUT)
        /// A local operation (flush, commit, metadata request) did not finish in time.
        public static let timedOut = Code(RD_KAFKA_RESP_ERR__TIMED_OUT)
        /// The message was still queued when the producer was shut down.
        public static let purgedFromQueue = Code(RD_KAFKA_RESP_ERR__PURGE_QUEUE)
        /// The message was in flight when the producer was shut down; it may or may not have been written.
        public static let purgedInFlight = Code(RD_KAFKA_RESP_ERR__PURGE_INFLIGHT)
        /// A configuration property was unknown or had an invalid value.
        public static let invalidArgument = Code(RD_KAFKA_RESP_ERR__INVALID_ARG)
        /// A broker connection failed or was closed (librdkafka retries by itself).
        public static let transport = Code(RD_KAFKA_RESP_ERR__TRANSPORT)
        /// The topic or partition does not exist.
        public static let unknownTopicOrPartition = Code(RD_KAFKA_RESP_ERR_UNKNOWN_TOPIC_OR_PART)
        /// librdkafka hit an unrecoverable error (e.g. idempotence guarantees could not be kept).
        public static let fatal = Code(RD_KAFKA_RESP_ERR__FATAL)
    }

    public let code: Code
    /// librdkafka's human-readable explanation.
    public let message: String

    public init(code: Code, message: String) {
        self.code = code
        self.message = message
    }

    init(_ error: rd_kafka_resp_err_t, message: String? = nil) {
        self.code = Code(error)
        self.message = message ?? String(cString: rd_kafka_err2str(error))
    }

    /// Takes ownership of an `rd_kafka_error_t` (and destroys it).
    init(consuming error: OpaquePointer) {
        self.code = Code(rd_kafka_error_code(error))
        self.message = String(cString: rd_kafka_error_string(error))
        rd_kafka_error_destroy(error)
    }

    static func closed(_ what: String) -> KafkaError {
        KafkaError(code: .clientClosed, message: "\(what) has been shut down")
    }

    public var description: String { "KafkaError(\(code.name)): \(message)" }
}
