/// Tracks min/max/null count (and NaN count for floating point) of a column chunk.
///
/// Orders follow `ColumnOrder.TYPE_ORDER`: signed for integers, false < true, numeric for
/// floats with NaN excluded, unsigned byte-wise for strings and binary.
struct StatisticsAccumulator {
    private enum Bounds {
        case boolean(min: Bool, max: Bool)
        case int32(min: Int32, max: Int32)
        case int64(min: Int64, max: Int64)
        case float(min: Float, max: Float)
        case double(min: Double, max: Double)
        case bytes(min: [UInt8], max: [UInt8])
    }

    private(set) var nullCount: Int64 = 0
    private var nanCount: Int64 = 0
    private var bounds: Bounds?

    mutating func recordNull() {
        nullCount += 1
    }

    mutating func include(_ value: Bool) {
        if case .boolean(let low, let high) = bounds {
            bounds = .boolean(min: low && value, max: high || value)
        } else {
            bounds = .boolean(min: value, max: value)
        }
    }

    mutating func include(_ value: Int32) {
        if case .int32(let low, let high) = bounds {
            bounds = .int32(min: Swift.min(low, value), max: Swift.max(high, value))
        } else {
            bounds = .int32(min: value, max: value)
        }
    }

    mutating func include(_ value: Int64) {
        if case .int64(let low, let high) = bounds {
            bounds = .int64(min: Swift.min(low, value), max: Swift.max(high, value))
        } else {
            bounds = .int64(min: value, max: value)
        }
    }

    mutating func include(_ value: Float) {
        guard !value.isNaN else {
            nanCount += 1
            return
        }
        if case .float(let low, let high) = bounds {
            bounds = .float(min: Swift.min(low, value), max: Swift.max(high, value))
        } else {
            bounds = .float(min: value, max: value)
        }
    }

    mutating func include(_ value: Double) {
        guard !value.isNaN else {
            nanCount += 1
            return
        }
        if case .double(let low, let high) = bounds {
            bounds = .double(min: Swift.min(low, value), max: Swift.max(high, value))
        } else {
            bounds = .double(min: value, max: value)
        }
    }

    mutating func include(_ value: [UInt8]) {
        if case .bytes(let low, let high) = bounds {
            // Only replace (and so retain) a bound when it actually changes.
            if value.lexicographicallyPrecedes(low) {
                bounds = .bytes(min: value, max: high)
            } else if high.lexicographicallyPrecedes(value) {
                bounds = .bytes(min: low, max: value)
            }
        } else {
            bounds = .bytes(min: value, max: value)
        }
    }

    /// The Thrift statistics, with values PLAIN-encoded (byte arrays without length prefix).
    ///
    /// Byte-array bounds longer than `byteArrayLimit` are omitted rather than truncated, since a
    /// truncated max would no longer be an upper bound.
    func makeStatistics(physicalType: PhysicalType, byteArrayLimit: Int) -> Statistics {
        var statistics = Statistics(nullCount: nullCount)
        if physicalType == .float || physicalType == .double {
            statistics.nanCount = nanCount
        }
        switch bounds {
        case nil:
            break
        case .boolean(let low, let high):
            statistics.minValue = [low ? 1 : 0]
            statistics.maxValue = [high ? 1 : 0]
        case .int32(let low, let high):
            statistics.minValue = Self.littleEndian(low)
            statistics.maxValue = Self.littleEndian(high)
        case .int64(let low, let high):
            statistics.minValue = Self.littleEndian(low)
            statistics.maxValue = Self.littleEndian(high)
        case .float(let low, let high):
            // The specification asks for -0.0 as a zero min and +0.0 as a zero max, so that the
            // bounds hold whichever zero the data contains.
            statistics.minValue = Self.littleEndian((low == 0 ? -Float.zero : low).bitPattern)
            statistics.maxValue = Self.littleEndian((high == 0 ? Float.zero : high).bitPattern)
        case .double(let low, let high):
            statistics.minValue = Self.littleEndian((low == 0 ? -Double.zero : low).bitPattern)
            statistics.maxValue = Self.littleEndian((high == 0 ? Double.zero : high).bitPattern)
        case .bytes(let low, let high):
            if low.count <= byteArrayLimit && high.count <= byteArrayLimit {
                statistics.minValue = low
                statistics.maxValue = high
            }
        }
        return statistics
    }

    private static func littleEndian<Value: FixedWidthInteger>(_ value: Value) -> [UInt8] {
        var bytes: [UInt8] = []
        bytes.appendLittleEndian(value)
        return bytes
    }
}
