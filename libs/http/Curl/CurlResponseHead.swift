/// Status and headers of the final (non-1xx) response, handed to the caller
/// before the body so streaming consumers can start early.
struct CurlResponseHead: Sendable {
    var status: Int
    var headers: HTTPHeaders
}
