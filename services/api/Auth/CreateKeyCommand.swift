import Foundation
import Logging
import SynthCommon
import SynthPostgres

/// `synth-api create-key --id NAME`: makes a new API key, stores its hash and
/// prints the key once (it cannot be shown again). Uses SYNTH_DATABASE_URL.
enum CreateKeyCommand {
    static func run(_ arguments: [String]) async throws {
        var id: String?
        var iterator = arguments.makeIterator()
        while let argument = iterator.next() {
            switch argument {
            case "--id", "--name": id = iterator.next()
            default:
                FileHandle.standardError.write(Data("usage: synth-api create-key --id NAME\n".utf8))
                exit(2)
            }
        }
        guard let id, !id.isEmpty else {
            FileHandle.standardError.write(Data("usage: synth-api create-key --id NAME\n".utf8))
            exit(2)
        }
        let configuration = try SynthConfiguration.load(service: "api", defaultPort: 8400)
        let database = PostgresClient(url: configuration.databaseURL)
        try await database.migrate(Schema.migrations, logger: Logger(label: "synth-api.create-key"))
        let key = APIKeyStore.generateKey()
        try await APIKeyStore(database: database).put(id: id, name: id, key: key)
        print(key)
    }
}
