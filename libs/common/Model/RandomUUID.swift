/// The lowercase text of a random (version 4) UUID, as
/// `UUID().uuidString.lowercased()` gives, from the standard library's system
/// generator (getrandom(2) on Linux). Foundation's `UUID()` opened
/// /dev/urandom on every call here: a batch submission makes two ids a task
/// (the task's and its event's), and those opens were about 5% of the api's
/// CPU in bench/api.
public enum RandomUUID {
    public static func string() -> String {
        var generator = SystemRandomNumberGenerator()
        var high: UInt64 = generator.next(), low: UInt64 = generator.next()
        high = high & ~0xF000 | 0x4000  // version 4: the high nibble of byte 6
        low = low & ~(0xC0 << 56) | (0x80 << 56)  // RFC 4122 variant: the top bits of byte 8
        let digits = Array("0123456789abcdef".utf8)
        return String(unsafeUninitializedCapacity: 36) { out in
            var index = 0
            func put(_ value: UInt64, nibbles: Int, from shift: Int) {
                for nibble in 0..<nibbles {
                    out[index] = digits[Int(value >> UInt64(shift - 4 * nibble) & 0xF)]
                    index += 1
                }
            }
            func dash() { out[index] = UInt8(ascii: "-"); index += 1 }
            put(high, nibbles: 8, from: 60); dash()
            put(high, nibbles: 4, from: 28); dash()
            put(high, nibbles: 4, from: 12); dash()
            put(low, nibbles: 4, from: 60); dash()
            put(low, nibbles: 12, from: 44)
            return 36
        }
    }
}
