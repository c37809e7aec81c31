import Dispatch
import Foundation

/// Turns POSIX signals into an async sequence, using Dispatch signal sources.
///
/// The default disposition of each signal is set to "ignore" first; otherwise SIGTERM would kill
/// the process before the source's handler ran, and SIGUSR1/2 would terminate it too.
final class SignalListener {
    let received: AsyncStream<Int32>
    private let sources: [any DispatchSourceSignal]

    init(signals: [Int32]) {
        let (stream, continuation) = AsyncStream<Int32>.makeStream()
        let queue = DispatchQueue(label: "synth.dev-broker.signals")
        received = stream
        sources = signals.map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
            source.setEventHandler { continuation.yield(number) }
            source.resume()
            return source
        }
    }

    deinit {
        for source in sources { source.cancel() }
    }
}
