/// One progress message of an image pull or import, as the daemon sends it.
public struct ImagePullProgress: Sendable, Equatable {
    /// e.g. "Pulling fs layer", "Downloading", "Pull complete".
    public var status: String
    /// Layer id the message is about, when it is about one.
    public var layerID: String?
    /// The daemon's rendered progress bar, if any.
    public var progressText: String?
    public var currentBytes: Int?
    public var totalBytes: Int?
}
