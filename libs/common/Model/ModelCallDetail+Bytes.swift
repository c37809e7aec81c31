/// A trajectory's model calls read straight from the JSON array the exporter's query returns
/// (`json_agg` of llm_calls rows). Through JSONDecoder, the logprobs object (one dictionary
/// per completion token, with its alternatives) was about 90% of the exporter's decoding time.
/// This reader keeps only each token's `logprob` and builds nothing else.
extension ModelCallDetail {
    /// The calls of a JSON array, or nil when the bytes hold anything the byte-level reader does
    /// not take on itself (a repeated key, an escaped key, a number JSONDecoder reads by its own
    /// rules, a trailing comma outside the skipped parts, malformed JSON). The caller then decodes
    /// with JSONDecoder, so errors and unusual inputs get exactly the Codable path's outcome; for
    /// the rest the result equals it (tests compare both).
    public static func array(jsonBytes bytes: [UInt8]) -> [ModelCallDetail]? {
        JSONValue.Reader.arrayDocument(bytes) { (reader) throws(JSONValue.ParseError) in try reader.modelCall() }
    }
}

extension JSONValue.Reader {
    // Depths passed to skip(depth:) count the containers around the skipped value plus one, so
    // the reader declines one level before JSONDecoder's limit, never after it.

    /// One llm_calls object: the array's element.
    mutating func modelCall() throws(ParseError) -> ModelCallDetail {
        var callID: String?
        var call = ModelCallDetail(callID: "")
        var seen = Seen()
        try members { (reader, key) throws(ParseError) in
            if key.is("call_id") { try seen.once(0, reader); callID = try reader.text() }
            else if key.is("prompt_tokens") { try seen.once(1, reader); call.promptTokens = try reader.optionalInteger() }
            else if key.is("completion_tokens") { try seen.once(2, reader); call.completionTokens = try reader.optionalInteger() }
            else if key.is("cost_dollars") {
                try seen.once(3, reader)
                call.costDollars = try reader.optional { (reader) throws(ParseError) in try reader.double() }
            } else if key.is("prompt_token_ids") { try seen.once(4, reader); call.promptTokenIDs = try reader.optionalTokenIDs() }
            else if key.is("completion_token_ids") { try seen.once(5, reader); call.completionTokenIDs = try reader.optionalTokenIDs() }
            else if key.is("logprobs") {
                try seen.once(6, reader)
                call.completionLogprobs = try reader.optional { (reader) throws(ParseError) in try reader.completionLogprobs() } ?? nil
            } else { try reader.skip(depth: 3) }
        }
        guard let callID else { throw failure("ModelCallDetail field missing") }
        call.callID = callID
        return call
    }

    mutating func optionalTokenIDs() throws(ParseError) -> [Int64]? {
        try optional { (reader) throws(ParseError) in
            var ids: [Int64] = []
            try reader.elements { (reader) throws(ParseError) in ids.append(Int64(try reader.integer())) }
            return ids
        }
    }

    /// `ModelCallDetail.logprobs(of:)` on the bytes of a (non-null) logprobs value.
    mutating func completionLogprobs() throws(ParseError) -> [Double]? {
        guard next() == UInt8(ascii: "{") else {
            try skip(depth: 3)
            return nil
        }
        var result: [Double]?
        var seen = Seen()
        try members { (reader, key) throws(ParseError) in
            guard key.is("content") else { try reader.skip(depth: 4); return }
            try seen.once(0, reader)
            guard reader.next() == UInt8(ascii: "[") else { try reader.skip(depth: 4); return }
            var logprobs: [Double] = []
            try reader.elements { (reader) throws(ParseError) in
                guard reader.next() == UInt8(ascii: "{") else { try reader.skip(depth: 5); return }
                var logprob: Double?
                var entrySeen = Seen()
                try reader.members { (reader, key) throws(ParseError) in
                    guard key.is("logprob") else { try reader.skip(depth: 6); return }
                    try entrySeen.once(0, reader)
                    if let byte = reader.next(), byte == UInt8(ascii: "-") || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) {
                        logprob = try reader.number()
                    } else {
                        try reader.skip(depth: 6)
                    }
                }
                if let logprob { logprobs.append(logprob) }
            }
            result = logprobs
        }
        return result
    }
}
