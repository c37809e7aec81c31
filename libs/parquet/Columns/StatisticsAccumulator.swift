/// Tracks min/max/null count (and NaN count for floating point) of a column chunk.
///
/// Orders follow `ColumnOrder.TYPE_ORDER`: signed for integers, false < true, numeric for
/// floats with NaN excluded, unsigned byte-wise for strings and binary. A column has one
/// physical type, so the bounds are plain stored fields (integers widened to Int64, floats to
/// Double, both exactly) rather than an enum rebuilt for every value.
struct StatisticsAccumulator {
    private(set) var nullCount: Int64 = 0
    private var nanCount: Int64 = 0
    private var hasBounds = false
    private var integerMin: Int64 = 0
    private var integerMax: Int64 = 0
    private var floatingMin: Double = 0
    private var floatingMax: Double = 0
    private var booleanMin = true
    private var booleanMax = false
    private var bytesMin: [UInt8] = []
    private var bytesMax: [UInt8] = []

    mutating func recordNull() {
        nullCount += 1
    }

    mutating func include(_ value: Bool) {
        hasBounds = true
        booleanMin = booleanMin && value
        booleanMax = booleanMax || value
    }

    mutating func include(_ value: Int32) {
        include(Int64(value))
    }

    mutating func include(_ value: Int64) {
        if hasBounds {
            integerMin = Swift.min(integerMin, value)
            integerMax = Swift.max(integerMax, value)
        } else {
            hasBounds = true
            integerMin = value
            integerMax = value
        }
    }

    mutating func include(_ value: Float) {
        include(Double(value))
    }

    mutating func include(_ value: Double) {
        guard !value.isNaN else {
            nanCount += 1
            return
        }
        if hasBounds {
            floatingMin = Swift.min(floatingMin, value)
            floatingMax = Swift.max(floatingMax, value)
        } else {
            hasBounds = true
            floatingMin = value
            floatingMax = value
        }
    }

    mutating func include(_ value: UnsafeRawBufferPointer) {
        guard hasBounds else {
            hasBounds = true
            bytesMin = Array(value)
            bytesMax = bytesMin
            return
        }
        // Only copy a bound when it actually changes.
        if bytesMin.withUnsafeBytes({ RawBytes.compare(value, $0) < 0 }) {
            bytesMin = Array(value)
        } else if bytesMax.withUnsafeBytes({ RawBytes.compare($0, value) < 0 }) {
            bytesMax = Array(value)
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
        guard hasBounds else { return statistics }
        switch physicalType {
        case .boolean:
            statistics.minValue = [booleanMin ? 1 : 0]
            statistics.maxValue = [booleanMax ? 1 : 0]
        case .int32:
            statistics.minValue = Self.littleEndian(Int32(integerMin))
            statistics.maxValue = Self.littleEndian(Int32(integerMax))
        case .int64:
            statistics.minValue = Self.littleEndian(integerMin)
            statistics.maxValue = Self.littleEndian(integerMax)
        case .float:
            // The specification asks for -0.0 as a zero min and +0.0 as a zero max, so that the
            // bounds hold whichever zero the data contains.
            let low = Float(floatingMin), high = Float(floatingMax)
            statistics.minValue = Self.littleEndian((low == 0 ? -Float.zero : low).bitPattern)
            statistics.maxValue = Self.littleEndian((high == 0 ? Float.zero : high).bitPattern)
        case .double:
            statistics.minValue = Self.littleEndian((floatingMin == 0 ? -Double.zero : floatingMin).bitPattern)
            statistics.maxValue = Self.littleEndian((floatingMax == 0 ? Double.zero : floatingMax).bitPattern)
        case .byteArray:
            if bytesMin.count <= byteArrayLimit && bytesMax.count <= byteArrayLimit {
                statistics.minValue = bytesMin
                statistics.maxValue = bytesMax
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
