import Foundation
@testable import SynthObjectStore
import SynthHTTPClient
import Testing

/// The worked example of AWS's "Signature Calculations for the Authorization Header" page
/// (GET Object with a Range header), whose signature AWS publishes.
@Suite struct SigV4SignerTests {
    @Test func matchesTheDocumentedGetObjectExample() {
        let signer = SigV4Signer(credentials: S3Credentials(accessKeyID: "AKIAIOSFODNN7EXAMPLE",
                                                            secretAccessKey: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"),
                                 region: "us-east-1")
        let added = signer.sign(method: "GET", path: "/test.txt", query: [],
                                headers: ["Host": "examplebucket.s3.amazonaws.com", "Range": "bytes=0-9"],
                                payloadHash: SigV4Signer.emptyPayloadHash, date: Date(timeIntervalSince1970: 1_369_353_600))
        #expect(added["x-amz-date"] == "20130524T000000Z")
        #expect(added["x-amz-content-sha256"] == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(added["Authorization"] == "AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20130524/us-east-1/s3/aws4_request, "
                + "SignedHeaders=host;range;x-amz-content-sha256;x-amz-date, "
                + "Signature=f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41")
    }

    @Test func encodesKeysAndQueriesAsSigV4Requires() {
        #expect(SigV4Signer.uriEncode("a b/ü+*~.txt", keepSlash: true) == "a%20b/%C3%BC%2B%2A~.txt")
        #expect(SigV4Signer.uriEncode("a/b") == "a%2Fb")
        #expect(SigV4Signer.canonicalQuery([("uploadId", "x/y"), ("partNumber", "2"), ("uploads", "")])
                == "partNumber=2&uploadId=x%2Fy&uploads=")
    }

    @Test func decodesXMLEntities() {
        let document = S3XML(Array("<R><Key>a &amp; b &lt;&#233;&#x41;&gt;</Key><Key>plain</Key></R>".utf8))
        #expect(document.all("Key") == ["a & b <éA>", "plain"])
    }
}
