import SynthCommon

/// quality_score and diversity_score (docs/DATASET.md, "Scores").
enum TrajectoryScores {
    /// quality = 0.6·total_reward + 0.2·verification_passed + 0.2·clean_step_ratio, in [0, 1].
    /// A clean step is one whose observation has no error and whose exit code is absent or 0;
    /// a trajectory without steps has a clean ratio of 1. It rewards solving the task, passing
    /// the hidden tests, and getting there without flailing.
    static func quality(reward: Double, verificationPassed: Bool, steps: [Transition]) -> Double {
        let clean = steps.filter { $0.observation.error == nil && ($0.observation.exitCode ?? 0) == 0 }.count
        let cleanRatio = steps.isEmpty ? 1 : Double(clean) / Double(steps.count)
        let value = 0.6 * min(max(reward, 0), 1) + 0.2 * (verificationPassed ? 1 : 0) + 0.2 * cleanRatio
        return (value * 1e9).rounded() / 1e9
    }

    /// The action sequence as a set of shingles: each step's signature (action type, tool name,
    /// and a hash of the canonical arguments) and each pair of consecutive signatures, so both
    /// what was done and in which order count.
    static func shingles(_ steps: [Transition]) -> [String] {
        let signatures = steps.map { step in
            let arguments = step.action.toolArgs.map { fnv1a($0.jsonText) } ?? fnv1a(step.action.content)
            return "\(step.action.actionType.rawValue):\(step.action.toolName ?? ""):\(arguments)"
        }
        var set = Set(signatures)
        for index in signatures.indices.dropFirst() {
            set.insert(signatures[index - 1] + ">" + signatures[index])
        }
        return set.sorted()
    }

    /// diversity(t) = 1 − max Jaccard(shingles(t), shingles(p)) over the stored trajectories p
    /// of *other* tasks in the same group (the same instance_id, or the task itself when it has
    /// none); 1 when there is no such peer. Retries of one task are not peers of each other.
    /// It is recomputed for the whole group whenever a member is stored, so it does not depend
    /// on which trajectory arrived first.
    static func diversity(of member: (taskID: String, shingles: Set<String>), among group: [(taskID: String, shingles: Set<String>)]) -> Double {
        var highest = 0.0
        for peer in group where peer.taskID != member.taskID {
            let union = member.shingles.union(peer.shingles).count
            let similarity = union == 0 ? 1 : Double(member.shingles.intersection(peer.shingles).count) / Double(union)
            highest = max(highest, similarity)
        }
        return ((1 - highest) * 1e9).rounded() / 1e9
    }

    /// FNV-1a 64: a stable short fingerprint (Swift's Hasher is seeded per process).
    static func fnv1a(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return String(hash, radix: 16)
    }
}
