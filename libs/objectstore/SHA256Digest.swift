import CCrypto
import Foundation

/// SHA-256 and HMAC-SHA256 from OpenSSL's libcrypto: the two primitives AWS Signature V4 is built
/// on, and the content address (oid) of a Git LFS object.
public enum SHA256Digest {
    public static func hash(_ bytes: some ContiguousBytes) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
        bytes.withUnsafeBytes { input in
            _ = SHA256(input.baseAddress?.assumingMemoryBound(to: UInt8.self), input.count, &digest)
        }
        return digest
    }

    /// The digest of a file, read in 1 MiB blocks so memory stays flat however large it is.
    public static func hash(file path: String) throws -> [UInt8] {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw ObjectStoreError("cannot read \(path)") }
        defer { try? handle.close() }
        guard let context = EVP_MD_CTX_new() else { throw ObjectStoreError("out of memory hashing \(path)") }
        defer { EVP_MD_CTX_free(context) }
        EVP_DigestInit_ex(context, EVP_sha256(), nil)
        while let block = try handle.read(upToCount: 1 << 20), !block.isEmpty {
            block.withUnsafeBytes { _ = EVP_DigestUpdate(context, $0.baseAddress, $0.count) }
        }
        var digest = [UInt8](repeating: 0, count: Int(SHA256_DIGEST_LENGTH))
        var length: UInt32 = 0
        EVP_DigestFinal_ex(context, &digest, &length)
        return digest
    }

    public static func hmac(key: [UInt8], _ message: some ContiguousBytes) -> [UInt8] {
        var digest = [UInt8](repeating: 0, count: Int(EVP_MAX_MD_SIZE))
        var length: UInt32 = 0
        message.withUnsafeBytes { input in
            _ = HMAC(EVP_sha256(), key, Int32(key.count), input.baseAddress?.assumingMemoryBound(to: UInt8.self), input.count,
                     &digest, &length)
        }
        return Array(digest.prefix(Int(length)))
    }

    public static func hex(_ bytes: [UInt8]) -> String {
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
