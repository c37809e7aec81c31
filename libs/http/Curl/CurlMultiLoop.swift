import CCurl
import Foundation

/// Drives every transfer of one `HTTPClient` from a single dedicated thread
/// with curl_multi.
///
/// Why a dedicated thread: curl_multi_poll blocks, and blocking a thread of
/// Swift's cooperative pool would starve unrelated tasks. One thread serves
/// any number of concurrent transfers, and because all easy handles share the
/// multi handle's connection cache, keep-alive connections are reused.
///
/// Thread-safety (why `@unchecked Sendable` is sound): the multi handle and
/// `activeTransfers` are touched only by the loop thread. Other threads talk
/// to it solely through `pendingCommands` (guarded by `lock`) and
/// curl_multi_wakeup, which libcurl documents as callable from any thread.
/// The multi handle is freed in `deinit`, which cannot run while any thread
/// (the loop itself, or a transfer) still holds a reference.
final class CurlMultiLoop: @unchecked Sendable {
    enum Command {
        case add(CurlTransfer)
        case cancel(CurlTransfer)
        case unpause(CurlTransfer)
    }

    private let multi: UnsafeMutableRawPointer
    private let lock = NSLock()
    private var pendingCommands: [Command] = []
    private var shutdownRequested = false
    /// Loop-thread only, keyed by easy-handle address.
    private var activeTransfers: [UInt: CurlTransfer] = [:]

    init(maximumCachedConnections: Int) throws(HTTPClientError) {
        try CurlGlobal.ensureInitialized()
        guard let multi = curl_multi_init() else {
            throw HTTPClientError(kind: .transport, message: "curl_multi_init failed")
        }
        self.multi = multi
        _ = synth_curl_multi_setopt_long(multi, CURLMOPT_MAXCONNECTS, maximumCachedConnections)
        let thread = Thread { [self] in runLoop() }
        thread.name = "synth.http.curl-multi"
        thread.start()
    }

    deinit {
        curl_multi_cleanup(multi)
    }

    func submit(_ command: Command) {
        lock.lock()
        pendingCommands.append(command)
        lock.unlock()
        curl_multi_wakeup(multi)
    }

    /// Lets the loop thread exit once in-flight transfers have finished, so
    /// streams still being read when the client goes away complete normally.
    func shutdownWhenIdle() {
        lock.lock()
        shutdownRequested = true
        lock.unlock()
        curl_multi_wakeup(multi)
    }

    private func runLoop() {
        while true {
            lock.lock()
            let commands = pendingCommands
            pendingCommands.removeAll()
            let shouldExit = shutdownRequested && commands.isEmpty && activeTransfers.isEmpty
            lock.unlock()
            if shouldExit { return }

            for command in commands {
                apply(command)
            }
            var stillRunning: Int32 = 0
            _ = curl_multi_perform(multi, &stillRunning)
            collectFinishedTransfers()
            // Returns early on socket activity, curl's own timers, or wakeup.
            _ = curl_multi_poll(multi, nil, 0, 1000, nil)
        }
    }

    private func apply(_ command: Command) {
        switch command {
        case .add(let transfer):
            if transfer.isCancelled {
                transfer.releaseCurlResources()
                return
            }
            let code = curl_multi_add_handle(multi, transfer.easy)
            if code == CURLM_OK {
                activeTransfers[transfer.key] = transfer
            } else {
                let message = String(cString: curl_multi_strerror(code))
                transfer.complete(with: .failure(HTTPClientError(kind: .transport, message: message)))
                transfer.releaseCurlResources()
            }
        case .cancel(let transfer):
            guard activeTransfers.removeValue(forKey: transfer.key) != nil else { return }
            curl_multi_remove_handle(multi, transfer.easy)
            transfer.releaseCurlResources()
        case .unpause(let transfer):
            guard activeTransfers[transfer.key] != nil else { return }
            // May call the write callback synchronously with held-back data.
            _ = curl_easy_pause(transfer.easy, CURLPAUSE_CONT)
        }
    }

    private func collectFinishedTransfers() {
        var messagesLeft: Int32 = 0
        while let message = curl_multi_info_read(multi, &messagesLeft) {
            guard message.pointee.msg == CURLMSG_DONE, let easy = message.pointee.easy_handle else { continue }
            // The message is invalid after remove_handle, so read it first.
            let code = message.pointee.data.result
            let key = UInt(bitPattern: easy)
            guard let transfer = activeTransfers.removeValue(forKey: key) else { continue }
            curl_multi_remove_handle(multi, easy)
            transfer.complete(with: transfer.outcome(of: code))
            transfer.releaseCurlResources()
        }
    }
}
