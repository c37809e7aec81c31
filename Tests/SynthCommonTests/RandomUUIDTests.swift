import Foundation
import Testing
import SynthCommon

/// RandomUUID must give what `UUID().uuidString.lowercased()` gives: a
/// version-4, RFC 4122 variant UUID in lowercase, which Foundation parses back
/// to the same text.
@Suite struct RandomUUIDTests {
    @Test func versionFourLowercaseTextFoundationReadsBack() throws {
        var seen: Set<String> = []
        for _ in 0..<2_000 {
            let text = RandomUUID.string()
            let parsed = try #require(UUID(uuidString: text))
            #expect(parsed.uuidString.lowercased() == text)
            let bytes = withUnsafeBytes(of: parsed.uuid) { Array($0) }
            #expect(bytes[6] >> 4 == 4)
            #expect(bytes[8] >> 6 == 0b10)
            #expect(text.utf8.allSatisfy { $0 == UInt8(ascii: "-") || (48...57).contains($0) || (97...102).contains($0) })
            seen.insert(text)
        }
        #expect(seen.count == 2_000)
    }
}
