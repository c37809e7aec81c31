/// POST /containers/{id}/exec.
struct ExecCreateBody: Encodable {
    var attachStdin = false
    var attachStdout = true
    var attachStderr = true
    var tty = false
    var cmd: [String]
    var env: [String]?
    var workingDir: String?
    var user: String?

    enum CodingKeys: String, CodingKey {
        case attachStdin = "AttachStdin", attachStdout = "AttachStdout", attachStderr = "AttachStderr"
        case tty = "Tty", cmd = "Cmd", env = "Env", workingDir = "WorkingDir", user = "User"
    }
}

/// POST /exec/{id}/start. Non-detached: the response is the output stream.
struct ExecStartBody: Encodable {
    var detach = false
    var tty = false

    enum CodingKeys: String, CodingKey { case detach = "Detach", tty = "Tty" }
}
