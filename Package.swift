// swift-tools-version:6.0
import PackageDescription

// C libraries come from Debian's -dev packages and are found with pkg-config.
// Their module maps live in libs/system; only targets under libs/ import them,
// so no service ever touches a C pointer.
let systemLibraries: [Target] = [
    .systemLibrary(name: "CRdKafka", path: "libs/system/CRdKafka", pkgConfig: "rdkafka",
                   providers: [.apt(["librdkafka-dev"])]),
    .systemLibrary(name: "CHiredis", path: "libs/system/CHiredis", pkgConfig: "hiredis",
                   providers: [.apt(["libhiredis-dev"])]),
    .systemLibrary(name: "CLibPQ", path: "libs/system/CLibPQ", pkgConfig: "libpq",
                   providers: [.apt(["libpq-dev"])]),
    .systemLibrary(name: "CCurl", path: "libs/system/CCurl", pkgConfig: "libcurl",
                   providers: [.apt(["libcurl4-openssl-dev"])]),
    .systemLibrary(name: "CZstd", path: "libs/system/CZstd", pkgConfig: "libzstd",
                   providers: [.apt(["libzstd-dev"])]),
    .systemLibrary(name: "CSnappy", path: "libs/system/CSnappy", pkgConfig: "snappy",
                   providers: [.apt(["libsnappy-dev"])]),
    .systemLibrary(name: "CCrypto", path: "libs/system/CCrypto", pkgConfig: "libcrypto",
                   providers: [.apt(["libssl-dev"])]),
]

let log = Target.Dependency.product(name: "Logging", package: "swift-log")
let metrics = Target.Dependency.product(name: "Metrics", package: "swift-metrics")
let lifecycle = Target.Dependency.product(name: "ServiceLifecycle", package: "swift-service-lifecycle")
let hummingbird = Target.Dependency.product(name: "Hummingbird", package: "hummingbird")
let argumentParser = Target.Dependency.product(name: "ArgumentParser", package: "swift-argument-parser")
let httpTypes = Target.Dependency.product(name: "HTTPTypes", package: "swift-http-types")
// Already in the graph through Hummingbird; named so the router can run Swift
// concurrency on NIO's event loops (see services/llm-router/main.swift).
let nioPosix = Target.Dependency.product(name: "NIOPosix", package: "swift-nio")
let nioCore = Target.Dependency.product(name: "NIOCore", package: "swift-nio")

let libraries: [Target] = [
    .target(name: "SynthKafka", dependencies: ["CRdKafka", log], path: "libs/kafka"),
    .target(name: "SynthRedis", dependencies: ["CHiredis", log], path: "libs/redis"),
    .target(name: "SynthPostgres", dependencies: ["CLibPQ", log], path: "libs/postgres"),
    .target(name: "SynthHTTPClient", dependencies: ["CCurl"], path: "libs/http"),
    .target(name: "SynthDocker", dependencies: ["SynthHTTPClient", log], path: "libs/docker"),
    .target(name: "SynthParquet", dependencies: ["CZstd", "CSnappy"], path: "libs/parquet"),
    // The exporter's trajectory table and sharded writer, a library so bench/datasets can time them.
    .target(name: "SynthDataset", dependencies: ["SynthCommon", "SynthParquet", "SynthPostgres"], path: "libs/dataset"),
    // Seeded data generation shared by tests and benchmarks (like HummingbirdTesting: never linked into a service).
    .target(name: "SynthTesting", path: "libs/testing"),
    .target(name: "SynthObjectStore", dependencies: ["SynthHTTPClient", "CCrypto"], path: "libs/objectstore"),
    .target(name: "SynthExecutor", dependencies: [], path: "libs/executor"),
    // The executor's container (services/executor/Sandbox) is a library so
    // bench/executor measures the very code path the service runs.
    .target(name: "SynthSandbox", dependencies: ["SynthCommon", "SynthDocker", "SynthExecutor"], path: "services/executor/Sandbox"),
    .target(
        name: "SynthCommon",
        dependencies: [
            "SynthKafka", "SynthRedis", "SynthPostgres", "SynthHTTPClient",
            log, metrics, lifecycle, hummingbird, argumentParser,
            .product(name: "Prometheus", package: "swift-prometheus"),
        ],
        path: "libs/common"
    ),
]

func service(_ name: String, _ folder: String, _ extra: [Target.Dependency] = [], exclude: [String] = []) -> Target {
    .executableTarget(name: name, dependencies: ["SynthCommon", log, lifecycle, hummingbird, httpTypes, argumentParser] + extra,
                      path: "services/\(folder)", exclude: exclude)
}

let services: [Target] = [
    service("synth-api", "api", exclude: ["OpenAPI/generate.py"]),
    service("synth-scheduler", "scheduler"),
    service("synth-llm-router", "llm-router", ["SynthHTTPClient", "SynthRedis", nioCore, nioPosix]),
    service("synth-executor", "executor", ["SynthDocker", "SynthHTTPClient", "SynthRedis", "SynthExecutor", "SynthSandbox"],
            exclude: ["Sandbox"]),
    service("synth-collector", "collector", ["SynthObjectStore"]),
    service("synth-exporter", "exporter", ["SynthDataset", "SynthParquet", "SynthObjectStore", "SynthHTTPClient"]),
    .executableTarget(name: "synth", dependencies: ["SynthCommon", "SynthHTTPClient", argumentParser], path: "tools/synth-cli"),
    .executableTarget(name: "synth-bench-parquet", dependencies: ["SynthParquet", "SynthTesting"], path: "bench/datasets/ParquetWriterBench"),
    .executableTarget(name: "synth-bench-dataset", dependencies: ["SynthDataset", "SynthCommon", "SynthParquet", "SynthPostgres", "SynthTesting"],
                      path: "bench/datasets/DatasetShardBench"),
    .executableTarget(name: "synth-dev-broker", dependencies: ["SynthKafka", log, argumentParser],
                      path: "tools/dev-broker"),
    // Benchmarks (bench/, run in release mode by their run.sh; not tests).
    .executableTarget(name: "synth-bench-queue", dependencies: ["SynthCommon", "SynthRedis"], path: "bench/queue",
                      exclude: ["run.sh", "script_cost.py"]),
    .executableTarget(name: "synth-bench-executor", dependencies: ["SynthSandbox", "SynthDocker", "SynthCommon"], path: "bench/executor",
                      exclude: ["run.sh", "raw_engine.py"]),
]

let tests: [Target] = [
    .testTarget(name: "SynthCommonTests", dependencies: ["SynthCommon", "SynthTesting"], path: "Tests/SynthCommonTests"),
    .testTarget(name: "SynthParquetTests", dependencies: ["SynthParquet", "SynthTesting"], path: "Tests/SynthParquetTests"),
    .testTarget(name: "DatasetServiceTests", dependencies: ["synth-collector", "synth-exporter", "SynthDataset", "SynthCommon", "SynthParquet", "SynthPostgres", "SynthTesting"],
                path: "Tests/DatasetServiceTests"),
    .testTarget(name: "LLMRouterTests", dependencies: ["synth-llm-router", "SynthCommon", "SynthHTTPClient"],
                path: "Tests/LLMRouterTests"),
    .testTarget(name: "SynthKafkaTests", dependencies: ["SynthKafka"], path: "Tests/SynthKafkaTests"),
    .testTarget(name: "SynthDockerTests", dependencies: ["SynthDocker"], path: "Tests/SynthDockerTests"),
    .testTarget(name: "SynthExecutorTests", dependencies: ["SynthExecutor"], path: "Tests/SynthExecutorTests"),
    .testTarget(name: "SynthSandboxTests", dependencies: ["SynthSandbox", "SynthDocker", "SynthCommon"], path: "Tests/SynthSandboxTests"),
    .testTarget(name: "SynthObjectStoreTests", dependencies: ["SynthObjectStore", "SynthHTTPClient"], path: "Tests/SynthObjectStoreTests"),
    .testTarget(name: "APITests", dependencies: ["synth-api", "SynthCommon"], path: "Tests/APITests"),
    .testTarget(name: "SynthStoreTests", dependencies: ["SynthRedis", "SynthPostgres", "SynthCommon"], path: "Tests/SynthStoreTests"),
]

let package = Package(
    name: "synth",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "synth-api", targets: ["synth-api"]),
        .executable(name: "synth-scheduler", targets: ["synth-scheduler"]),
        .executable(name: "synth-llm-router", targets: ["synth-llm-router"]),
        .executable(name: "synth-executor", targets: ["synth-executor"]),
        .executable(name: "synth-collector", targets: ["synth-collector"]),
        .executable(name: "synth-exporter", targets: ["synth-exporter"]),
        .executable(name: "synth-dev-broker", targets: ["synth-dev-broker"]),
        .executable(name: "synth", targets: ["synth"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus", from: "2.4.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird", from: "2.28.1"),
        .package(url: "https://github.com/apple/swift-http-types", from: "1.8.0"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.0"),
    ],
    targets: systemLibraries + libraries + services + tests,
    swiftLanguageModes: [.v6]
)
