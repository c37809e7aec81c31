extension PriorityWeights {
    /// How under-represented `category` is among finished trajectories, in
    /// 0...1: 1 for a category with none (or when nothing finished yet), 0 for
    /// the most common one, linear in between. So the category weight pulls the
    /// rarest categories forward and the dataset comes out balanced.
    public static func scarcity(of category: String, finished: [String: Int]) -> Double {
        let most = finished.values.max() ?? 0
        guard most > 0 else { return 1 }
        return 1 - Double(finished[category] ?? 0) / Double(most)
    }
}
