/// The pool's free slots. The leasing loop asks for as many tasks as there
/// are free slots in one call, and waits here while every slot is busy; an
/// episode gives its slot back when it ends.
actor FreeSlots {
    private var free: Int
    private var waiter: CheckedContinuation<Void, Never>?

    init(_ capacity: Int) {
        free = capacity
    }

    /// How many slots are free, once at least one is.
    func available() async -> Int {
        if free == 0 { await withCheckedContinuation { waiter = $0 } }
        return free
    }

    func take(_ count: Int) {
        free -= count
    }

    func release() {
        free += 1
        waiter?.resume()
        waiter = nil
    }
}
