/// Priority bands for the queue-depth metric, by a task's priority now
/// (difficulty 1-4 plus up to the category weight, plus ageing).
public enum PriorityBand {
    /// priority >= 4: expert tasks, or hard ones in a scarce category.
    public static let highThreshold = 4.0
    /// 2 <= priority < 4 is "normal"; below is "low".
    public static let normalThreshold = 2.0
}
