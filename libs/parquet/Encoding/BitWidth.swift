/// Bit widths for RLE/bit-packed data.
enum BitWidth {
    /// The number of bits needed to represent every value in `0...maxValue` (0 for 0).
    static func required(forMaxValue maxValue: Int) -> Int {
        precondition(maxValue >= 0, "bit widths are only defined for non-negative values")
        return Int.bitWidth - maxValue.leadingZeroBitCount
    }
}
