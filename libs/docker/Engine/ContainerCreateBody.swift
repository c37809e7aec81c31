/// The JSON body of POST /containers/create (Engine API v1.41 field names).
struct ContainerCreateBody: Encodable {
    struct HostConfig: Encodable {
        var memory: Int
        var memorySwap: Int
        var nanoCpus: Int
        var pidsLimit: Int
        var networkMode: String
        var capDrop: [String]
        var capAdd: [String]
        var securityOpt: [String]
        var readonlyRootfs: Bool
        var tmpfs: [String: String]
        var binds: [String]?
        var mounts: [Mount]
        var initProcess: Bool
        var logConfig: LogConfig

        enum CodingKeys: String, CodingKey {
            case memory = "Memory", memorySwap = "MemorySwap", nanoCpus = "NanoCpus", pidsLimit = "PidsLimit"
            case networkMode = "NetworkMode", capDrop = "CapDrop", capAdd = "CapAdd", securityOpt = "SecurityOpt"
            case readonlyRootfs = "ReadonlyRootfs", tmpfs = "Tmpfs", binds = "Binds", mounts = "Mounts", initProcess = "Init"
            case logConfig = "LogConfig"
        }
    }

    struct Mount: Encodable {
        struct VolumeOptions: Encodable {
            struct DriverConfig: Encodable {
                var name: String
                var options: [String: String]
                enum CodingKeys: String, CodingKey { case name = "Name", options = "Options" }
            }
            var driverConfig: DriverConfig
            enum CodingKeys: String, CodingKey { case driverConfig = "DriverConfig" }
        }
        var type: String
        var target: String
        var volumeOptions: VolumeOptions
        enum CodingKeys: String, CodingKey { case type = "Type", target = "Target", volumeOptions = "VolumeOptions" }
    }

    struct LogConfig: Encodable {
        var type: String
        var config: [String: String]
        enum CodingKeys: String, CodingKey { case type = "Type", config = "Config" }
    }

    var image: String
    var cmd: [String]
    var entrypoint: [String]?
    var env: [String]
    var workingDir: String
    var labels: [String: String]
    var user: String?
    var networkDisabled: Bool
    var hostConfig: HostConfig

    enum CodingKeys: String, CodingKey {
        case image = "Image", cmd = "Cmd", entrypoint = "Entrypoint", env = "Env", workingDir = "WorkingDir"
        case labels = "Labels", user = "User", networkDisabled = "NetworkDisabled", hostConfig = "HostConfig"
    }

    init(_ spec: ContainerSpec) {
        image = spec.image
        cmd = spec.command
        entrypoint = spec.entrypoint
        env = spec.environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        workingDir = spec.workingDirectory
        labels = spec.labels
        user = spec.user
        networkDisabled = spec.networkDisabled
        let workspaceMounts = ((spec.workspace.map { [$0] } ?? []) + spec.extraVolumes).map { workspace in
            Mount(
                type: "volume",
                target: workspace.path,
                volumeOptions: .init(driverConfig: .init(
                    name: "local",
                    options: ["type": "tmpfs", "device": "tmpfs", "o": "size=\(workspace.sizeBytes)"]
                ))
            )
        }
        hostConfig = HostConfig(
            memory: spec.memoryLimitBytes,
            memorySwap: spec.memoryLimitBytes + spec.additionalSwapBytes,
            nanoCpus: spec.nanoCPUs,
            pidsLimit: spec.pidsLimit,
            networkMode: spec.networkMode,
            capDrop: spec.capDrop,
            capAdd: spec.capAdd,
            securityOpt: spec.securityOptions,
            readonlyRootfs: spec.readonlyRootfs,
            tmpfs: spec.tmpfs,
            binds: spec.binds.isEmpty ? nil : spec.binds,
            mounts: workspaceMounts,
            initProcess: spec.useInit,
            logConfig: LogConfig(type: spec.logConfig.driver, config: spec.logConfig.options)
        )
    }
}
