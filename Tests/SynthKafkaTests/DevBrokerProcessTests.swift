import Foundation
import SynthKafka
import XCTest

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

struct ExecutableNotFound: Error, CustomStringConvertible {
    let searched: [String]
    var description: String { "synth-dev-broker not found in \(searched); build it or set SYNTH_BIN_DIR" }
}

/// Runs the built `synth-dev-broker` executable the way scripts/stack.sh does.
final class DevBrokerProcessTests: XCTestCase {
    /// `SYNTH_BIN_DIR`, else the directory of this test bundle (SwiftPM puts executables next to
    /// it), else the usual scratch paths relative to the package root.
    private func devBrokerExecutable() throws -> URL {
        let packageRoot = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        var candidates: [URL] = []
        if let binDirectory = ProcessInfo.processInfo.environment["SYNTH_BIN_DIR"] {
            candidates.append(URL(fileURLWithPath: binDirectory))
        }
        for bundle in Bundle.allBundles where bundle.bundlePath.hasSuffix(".xctest") {
            candidates.append(bundle.bundleURL.deletingLastPathComponent())
        }
        candidates.append(URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent())
        candidates.append(packageRoot.appendingPathComponent(".build/debug"))
        candidates.append(packageRoot.appendingPathComponent(".build-kafka/debug"))
        for directory in candidates {
            let executable = directory.appendingPathComponent("synth-dev-broker")
            if FileManager.default.isExecutableFile(atPath: executable.path) { return executable }
        }
        // `swift test` builds every product, so a missing binary means a broken setup: fail loudly.
        throw ExecutableNotFound(searched: candidates.map(\.path))
    }

    func testDevBrokerServesClientsInjectsFaultsAndCleansUpOnSIGTERM() async throws {
        let executable = try devBrokerExecutable()
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("synth-dev-broker-test-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let bootstrapFile = directory.appendingPathComponent("kafka.bootstrap")

        let process = Process()
        process.executableURL = executable
        process.arguments = ["--bootstrap-file", bootstrapFile.path, "--partitions", "3"]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        var stopped = false
        defer { if !stopped { process.terminate() } }

        let bootstrap = try await withTimeout(.seconds(15), "the bootstrap file") { () -> String in
            while true {
                if let content = try? String(contentsOf: bootstrapFile, encoding: .utf8), !content.isEmpty {
                    return content
                }
                try await Task.sleep(for: .milliseconds(50))
            }
        }
        XCTAssertTrue(bootstrap.hasPrefix("127.0.0.1:"), bootstrap)

        // Reconnect quickly after SIGUSR2 (librdkafka backs off up to 10 s by default).
        let producer = try KafkaProducer(configuration: .init(
            bootstrapServers: bootstrap, clientID: "dev-broker-test", properties: ["reconnect.backoff.max.ms": "1000"]))
        let records = (0..<12).map { KafkaRecord(topic: "synth.tasks", key: bytes("task-\($0 % 4)"), value: bytes("\($0)")) }
        let reports = try await withTimeout(.seconds(20), "delivery") { try await producer.sendAll(records) }
        XCTAssertTrue(reports.allSatisfy { (0..<3).contains($0.partition) }, "--partitions 3 applies to the default topics")

        let consumer = try KafkaConsumer(configuration: testConsumerConfiguration(bootstrap, group: "dev-broker-test", topics: ["synth.tasks"]))
        let messages = try await collect(12, from: consumer)
        XCTAssertEqual(Set(messages.compactMap { text($0.value) }), Set((0..<12).map { "\($0)" }))
        await consumer.close()

        // SIGUSR1: broker 1 down, so a send waits; SIGUSR2: back up, so it completes.
        kill(process.processIdentifier, SIGUSR1)
        try await Task.sleep(for: .milliseconds(300))
        let finished = Flag()
        let pending = Task {
            defer { finished.set() }
            return try await producer.send(topic: "synth.system", key: nil, value: bytes("during outage"))
        }
        try await Task.sleep(for: .seconds(2))
        XCTAssertFalse(finished.isSet, "the send must wait while broker 1 is down")
        kill(process.processIdentifier, SIGUSR2)
        _ = try await withTimeout(.seconds(30), "delivery after SIGUSR2") { try await pending.value }
        await producer.shutdown()

        process.terminate()  // SIGTERM
        try await withTimeout(.seconds(15), "the dev broker to exit") {
            while process.isRunning { try await Task.sleep(for: .milliseconds(50)) }
        }
        stopped = true
        XCTAssertEqual(process.terminationReason, .exit)
        XCTAssertEqual(process.terminationStatus, 0)
        XCTAssertFalse(FileManager.default.fileExists(atPath: bootstrapFile.path), "the bootstrap file is removed on exit")

        let lines = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            .split(separator: "\n").map(String.init)
        let events = lines.compactMap { line -> String? in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any] else { return nil }
            return object["event"] as? String
        }
        XCTAssertEqual(events, ["dev-broker.started", "dev-broker.broker-down", "dev-broker.broker-up", "dev-broker.stopped"])
        XCTAssertTrue(lines.first?.contains("\"bootstrap\":\"\(bootstrap)\"") ?? false, lines.first ?? "no output")
    }
}
