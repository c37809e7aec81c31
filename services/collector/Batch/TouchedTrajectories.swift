/// The trajectories a batch touched, each once, in the order first seen, so assembly (and
/// the TrajectoryStored announcements) follow the order the events arrived in.
struct TouchedTrajectories {
    private(set) var ordered: [String] = []
    private var seen: Set<String> = []

    mutating func insert(_ trajectoryID: String) {
        if seen.insert(trajectoryID).inserted { ordered.append(trajectoryID) }
    }
}
