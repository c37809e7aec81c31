import CCrypto

/// SHA-256 and HMAC-SHA256 from OpenSSL's libcrypto: the two primitives AWS Signature V4 is built on.
enum SHA256Digest {
    static func hash(_ bytes: some ContiguousBytes) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
        bytes.withUnsafeBytes { input in
            _ = SHA256(input.baseAddress?.assumingMemoryBound(to: UInt8.self), input.count, &digest)
        }
        return digest
    }

    static func hmac(key: [UInt8], _ message: some ContiguousBytes) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        message.withUnsafeBytes { input in
            _ = HMAC(EVP_sha256(), key, Int32(key.count), input.baseAddress?.assumingMemoryBound(to: UInt8.self), input.count,
                     &digest, &length)
        }
        return Array(digest.prefix(Int(length)))
    }

    static func hex(_ bytes: [UInt8]) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var text = [UInt8]()
        text.reserveCapacity(bytes.count * 2)
        for byte in bytes {
            text.append(digits[Int(byte >> 4)])
            text.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: text, as: UTF8.self)
    }
}
