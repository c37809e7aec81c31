/// A size-limited, memory-backed writable directory in an otherwise
/// read-only container.
///
/// It is a tmpfs created through an anonymous *volume* (local driver,
/// type=tmpfs) rather than `HostConfig.Tmpfs`, because the daemon's archive
/// endpoints (put/get archive, `docker cp`) cannot see plain tmpfs mounts
/// (Engine 20.10 writes beneath them or refuses with "rootfs is marked
/// read-only"). The volume is deleted with the container (`remove` passes
/// v=true).
public struct ContainerWorkspace: Sendable, Equatable {
    public var path: String
    public var sizeBytes: Int

    public init(path: String = "/workspace", sizeBytes: Int = 512 << 20) {
        self.path = path
        self.sizeBytes = sizeBytes
    }
}
