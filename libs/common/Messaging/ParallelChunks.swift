/// Spreads per-item CPU work (decoding and encoding JSON) of a batch over the cooperative
/// pool in contiguous chunks, keeping the items' order: a consumer's batch is decoded on every
/// core instead of one.
public enum ParallelChunks {
    /// `transform` applied to every item, `nil` results dropped, in the order of `items`.
    public static func compactMap<Item: Sendable, Output: Sendable>(
        _ items: [Item], chunkSize: Int = 256, _ transform: @escaping @Sendable (Item) -> Output?
    ) async -> [Output] {
        await map(items, chunkSize: chunkSize) { chunk in chunk.compactMap(transform) }.flatMap { $0 }
    }

    /// `transform` applied to each contiguous chunk of at most `chunkSize` items: one output per
    /// chunk, in order. A batch that fits in one chunk is done on the calling task. (Throwing
    /// work returns a `Result` per chunk.)
    public static func map<Item: Sendable, Output: Sendable>(
        _ items: [Item], chunkSize: Int = 256, _ transform: @escaping @Sendable (ArraySlice<Item>) -> Output
    ) async -> [Output] {
        let size = max(1, chunkSize)
        guard items.count > size else { return [transform(items[...])] }
        let starts = Array(stride(from: 0, to: items.count, by: size))
        return await withTaskGroup(of: (Int, Output).self) { group in
            for (index, start) in starts.enumerated() {
                let chunk = items[start..<min(start + size, items.count)]
                group.addTask { (index, transform(chunk)) }
            }
            var outputs = [Output?](repeating: nil, count: starts.count)
            for await (index, output) in group { outputs[index] = output }
            return outputs.map { $0! }
        }
    }
}
