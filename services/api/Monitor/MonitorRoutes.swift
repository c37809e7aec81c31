import Foundation
import Hummingbird
import SynthCommon

/// `GET /monitor`: the Quality Monitor page (static, no data in it; it asks
/// for the key and reads the stream with it). `GET /api/v1/monitor/stream`:
/// server-sent events, one `snapshot` event per tick, authenticated like
/// every api call. `GET /api/v1/monitor/snapshot`: the latest one as JSON.
struct MonitorRoutes: Sendable {
    let service: MonitorService

    func register(on router: Router<BasicRequestContext>) {
        router.get("/monitor") { _, _ in
            HTTPResponses.raw(Data(MonitorPage.html.utf8), contentType: "text/html; charset=utf-8")
        }
        router.get("/api/v1/monitor/snapshot") { _, _ in
            guard let latest = service.current() else {
                return HTTPResponses.error(.serviceUnavailable, code: "not_ready", message: "the first snapshot is still being computed")
            }
            return HTTPResponses.raw(Data(latest.body))
        }
        router.get("/api/v1/monitor/stream") { _, _ in
            let service = self.service
            return Response(
                status: .ok,
                headers: [.contentType: "text/event-stream", .cacheControl: "no-cache"],
                body: ResponseBody { writer in
                    var sent = 0
                    // A client that goes away makes write throw, which ends the loop.
                    while !Task.isCancelled {
                        if let latest = service.current(), latest.generation != sent {
                            sent = latest.generation
                            var event = ByteBuffer(string: "event: snapshot\nid: \(latest.generation)\ndata: ")
                            event.writeBytes(latest.body)
                            event.writeString("\n\n")
                            try await writer.write(event)
                        }
                        try await Task.sleep(for: .milliseconds(250))
                    }
                    try await writer.finish(nil)
                })
        }
    }
}
