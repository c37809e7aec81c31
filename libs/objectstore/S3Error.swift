/// An S3 request the service refused: its HTTP status and the `<Error>` document's code and
/// message (for example `403 SignatureDoesNotMatch`, `404 NoSuchBucket`).
public struct S3Error: Error, CustomStringConvertible, Sendable {
    public var operation: String
    public var status: Int
    /// The S3 error code, or `HTTP <status>` when the response had no error document (HEAD).
    public var code: String
    public var message: String
    public var requestID: String?

    init(operation: String, status: Int, body: [UInt8], requestID: String?) {
        let document = S3XML(body)
        self.operation = operation
        self.status = status
        self.code = document.first("Code") ?? "HTTP \(status)"
        self.message = document.first("Message") ?? ""
        self.requestID = document.first("RequestId") ?? requestID
    }

    public var description: String {
        var text = "S3 \(operation) failed: \(status) \(code)"
        if !message.isEmpty { text += ": \(message)" }
        if let requestID { text += " (request id \(requestID))" }
        return text
    }
}
