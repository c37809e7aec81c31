import CHiredis
import Foundation

/// One blocking hiredis connection. Not thread-safe on its own: `RedisClient`
/// hands each connection to one caller at a time.
final class RedisConnection {
    private var context: UnsafeMutablePointer<redisContext>?
    let host: String
    let port: Int32

    init(host: String, port: Int32, database: Int = 0, timeoutSeconds: Int = 5) throws {
        self.host = host
        self.port = port
        var timeout = timeval(tv_sec: timeoutSeconds, tv_usec: 0)
        guard let context = redisConnectWithTimeout(host, port, timeout) else {
            throw RedisError.connection("cannot allocate a context for \(host):\(port)")
        }
        if context.pointee.err != 0 {
            let message = Self.errorText(context)
            redisFree(context)
            throw RedisError.connection("\(host):\(port): \(message)")
        }
        // Reads block for at most this long, so a dead server surfaces as an error.
        timeout = timeval(tv_sec: 30, tv_usec: 0)
        redisSetTimeout(context, timeout)
        self.context = context
        if database != 0, case .error(let message) = try command([Array("SELECT".utf8), Array(String(database).utf8)]) {
            throw RedisError.server("SELECT \(database): \(message)")
        }
    }

    deinit {
        if let context { redisFree(context) }
    }

    var isBroken: Bool { context == nil || context!.pointee.err != 0 }

    /// Sends one command and waits for its reply.
    func command(_ arguments: [[UInt8]]) throws -> RedisValue {
        try pipeline([arguments])[0]
    }

    /// Sends several commands in one round trip and reads their replies in order.
    func pipeline(_ commands: [[[UInt8]]]) throws -> [RedisValue] {
        guard let context else { throw RedisError.connection("connection closed") }
        for arguments in commands {
            let status = Self.withArgv(arguments) { argc, argv, lengths in
                redisAppendCommandArgv(context, argc, argv, lengths)
            }
            if status != REDIS_OK { throw RedisError.connection(Self.errorText(context)) }
        }
        var replies: [RedisValue] = []
        replies.reserveCapacity(commands.count)
        for _ in commands {
            var raw: UnsafeMutableRawPointer?
            if redisGetReply(context, &raw) != REDIS_OK || raw == nil {
                throw RedisError.connection(Self.errorText(context))
            }
            let reply = raw!.assumingMemoryBound(to: redisReply.self)
            replies.append(Self.decode(reply))
            freeReplyObject(raw)
        }
        return replies
    }

    private static func withArgv<R>(_ arguments: [[UInt8]],
                                     _ body: (Int32, UnsafeMutablePointer<UnsafePointer<CChar>?>, UnsafePointer<Int>) -> R) -> R {
        // hiredis copies the arguments into its output buffer, so the storage
        // only has to outlive the call: one buffer holds them all.
        let lengths = arguments.map(\.count)
        let buffer = UnsafeMutablePointer<CChar>.allocate(capacity: max(lengths.reduce(0, +), 1))
        defer { buffer.deallocate() }
        var offset = 0
        var argv: [UnsafePointer<CChar>?] = []
        argv.reserveCapacity(arguments.count)
        for bytes in arguments {
            bytes.withUnsafeBufferPointer { source in
                source.withMemoryRebound(to: CChar.self) { chars in
                    if let base = chars.baseAddress { (buffer + offset).initialize(from: base, count: bytes.count) }
                }
            }
            argv.append(UnsafePointer(buffer + offset))
            offset += bytes.count
        }
        return argv.withUnsafeMutableBufferPointer { argvBuffer in
            lengths.withUnsafeBufferPointer { lengthBuffer in
                body(Int32(arguments.count), argvBuffer.baseAddress!, lengthBuffer.baseAddress!)
            }
        }
    }

    private static func decode(_ reply: UnsafeMutablePointer<redisReply>) -> RedisValue {
        let r = reply.pointee
        switch Int32(r.type) {
        case REDIS_REPLY_STRING:
            return .bulk(Array(UnsafeRawBufferPointer(start: r.str, count: Int(r.len))))
        case REDIS_REPLY_STATUS:
            return .status(String(cString: r.str))
        case REDIS_REPLY_ERROR:
            return .error(String(cString: r.str))
        case REDIS_REPLY_INTEGER:
            return .integer(Int64(r.integer))
        case REDIS_REPLY_ARRAY:
            var values: [RedisValue] = []
            values.reserveCapacity(Int(r.elements))
            for index in 0..<Int(r.elements) {
                if let element = r.element[index] { values.append(decode(element)) } else { values.append(.null) }
            }
            return .array(values)
        default:
            return .null
        }
    }

    private static func errorText(_ context: UnsafeMutablePointer<redisContext>) -> String {
        withUnsafeBytes(of: context.pointee.errstr) { raw in
            String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
        }
    }
}
