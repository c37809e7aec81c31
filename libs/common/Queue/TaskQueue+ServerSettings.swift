import SynthRedis

extension TaskQueue {
    /// Redis settings the queue is fast with, and why; `serverSettingAdvice`
    /// names those the server has otherwise.
    static let recommendedSettings: [(name: String, value: String, why: String)] = [
        ("zset-max-listpack-entries", "0",
         "a small sorted set is a listpack that every insert walks, parsing each score from text; the ready set keeps emptying and refilling, so it would live in that form"),
    ]

    /// One line per recommended Redis setting the server has otherwise
    /// (empty when all match, or when CONFIG is not allowed: a managed Redis
    /// may refuse it, and the queue is correct either way, only slower).
    public func serverSettingAdvice() async -> [String] {
        var advice: [String] = []
        for setting in Self.recommendedSettings {
            guard let reply = try? await redis.command("CONFIG", "GET", setting.name).array, reply.count == 2,
                  let value = reply[1].string, value != setting.value else { continue }
            advice.append("\(setting.name) is \(value), \(setting.value) recommended: \(setting.why)")
        }
        return advice
    }
}
