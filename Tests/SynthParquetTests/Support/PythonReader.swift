import Foundation

/// A failure of the Python side: a missing module, an unreadable file, a reader exception.
struct PythonReaderError: Error, CustomStringConvertible {
    var description: String
}

/// Runs `PythonReaderScript` with `python3` and decodes its JSON output.
enum PythonReader {
    /// Full report of a file as pyarrow sees it, rows included.
    static func report(_ path: String) throws -> ParquetFileReport {
        try decode(ParquetFileReport.self, from: run(["report", path]))
    }

    /// Metadata and page walk only, for files whose rows are checked another way.
    static func metadata(_ path: String) throws -> ParquetFileReport {
        try decode(ParquetFileReport.self, from: run(["metadata", path]))
    }

    static func aggregate(_ path: String, sumOf column: String, sampleRows indices: [Int]) throws -> AggregateReport {
        try decode(
            AggregateReport.self,
            from: run(["aggregate", path, column, indices.map(String.init).joined(separator: ",")]))
    }

    static func duckdb(_ path: String) throws -> DuckDBReport {
        try decode(DuckDBReport.self, from: run(["duckdb", path]))
    }

    private static func decode<Report: Decodable>(_ type: Report.Type, from data: Data) throws -> Report {
        do {
            return try JSONDecoder().decode(type, from: data)
        } catch {
            throw PythonReaderError(description: "cannot decode the reader's JSON output: \(error)")
        }
    }

    /// Output goes to temporary files rather than pipes so a large report cannot deadlock.
    private static func run(_ arguments: [String]) throws -> Data {
        let directory = FileManager.default.temporaryDirectory
        let outputURL = directory.appendingPathComponent("synth-parquet-py-\(UUID().uuidString).out")
        let errorURL = directory.appendingPathComponent("synth-parquet-py-\(UUID().uuidString).err")
        guard FileManager.default.createFile(atPath: outputURL.path, contents: nil),
              FileManager.default.createFile(atPath: errorURL.path, contents: nil)
        else {
            throw PythonReaderError(description: "cannot create output files in \(directory.path)")
        }
        defer {
            try? FileManager.default.removeItem(at: outputURL)
            try? FileManager.default.removeItem(at: errorURL)
        }
        let outputHandle = try FileHandle(forWritingTo: outputURL)
        let errorHandle = try FileHandle(forWritingTo: errorURL)

        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", PythonReaderScript.source] + arguments
        process.standardOutput = outputHandle
        process.standardError = errorHandle
        do {
            try process.run()
        } catch {
            throw PythonReaderError(description: "cannot start python3: \(error)")
        }
        process.waitUntilExit()
        try outputHandle.close()
        try errorHandle.close()

        let errorText = String(decoding: try Data(contentsOf: errorURL), as: UTF8.self)
        guard process.terminationStatus == 0 else {
            throw PythonReaderError(
                description: "python3 \(arguments.prefix(2).joined(separator: " ")) exited with "
                    + "\(process.terminationStatus): \(errorText)")
        }
        return try Data(contentsOf: outputURL)
    }
}
