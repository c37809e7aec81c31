/// A trajectory's transitions read straight from the JSON array the exporter's query returns
/// (`json_agg` of the stored transitions), with the collector's byte-level reader: decoding
/// them with JSONDecoder ran at about 300 rows/s on 50-step trajectories, 30 to 60 times slower
/// than writing the rows to Parquet (docs/BENCHMARKS.md).
extension Transition {
    /// The transitions of a JSON array, or nil when the bytes hold anything the byte-level
    /// reader does not take on itself (see `StepExecuted(envelopeBytes:)`). The caller then
    /// decodes with JSONDecoder, so errors and unusual inputs get exactly the Codable path's
    /// outcome; for the rest the result equals it (tests compare both).
    public static func array(jsonBytes bytes: [UInt8]) -> [Transition]? {
        // The reader's nesting depths are those of a StepExecuted envelope, where a transition
        // sits one level deeper than in this array: it declines one level before JSONDecoder's
        // limit, never after it.
        JSONValue.Reader.arrayDocument(bytes) { (reader) throws(JSONValue.ParseError) in try reader.transition() }
    }
}
