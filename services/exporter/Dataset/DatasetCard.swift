import Foundation
import SynthParquet

/// The dataset's `README.md`: a YAML header the Hugging Face Hub and `datasets.load_dataset`
/// read (configs, features, license, sizes), then a prose summary.
struct DatasetCard {
    var exportID: String
    var license: String
    var split: String
    var schema: ParquetSchema
    var summary: DatasetSummary
    var filters: [String]

    func render() -> String {
        var lines = ["---", "license: \(license)", "pretty_name: synth coding-agent trajectories",
                     "task_categories:", "- text-generation", "tags:", "- code", "- agents", "- trajectories", "- synth",
                     "size_categories:", "- \(sizeCategory(summary.rows))",
                     "configs:", "- config_name: default", "  data_files:", "  - split: \(split)", "    path: data/\(split)-*",
                     "dataset_info:", "  features:"]
        for field in schema.fields { lines += featureLines(field, indent: "  ") }
        lines += ["  splits:", "  - name: \(split)", "    num_bytes: \(summary.bytes)", "    num_examples: \(summary.rows)",
                  "  download_size: \(summary.bytes)", "  dataset_size: \(summary.bytes)", "---", ""]
        lines += prose()
        return lines.joined(separator: "\n") + "\n"
    }

    /// One feature in the Hub's YAML form (what `Features._to_yaml_list` produces).
    private func featureLines(_ field: ParquetField, indent: String) -> [String] {
        let head = "\(indent)- name: \(field.name)"
        switch field.type {
        case .struct(let members):
            return [head, "\(indent)  struct:"] + members.flatMap { featureLines($0, indent: indent + "  ") }
        case .list(let element):
            if case .struct(let members) = element.type {
                return [head, "\(indent)  list:"] + members.flatMap { featureLines($0, indent: indent + "  ") }
            }
            return [head, "\(indent)  list: \(Self.dtype(element.type))"]
        default:
            return [head, "\(indent)  dtype: \(Self.dtype(field.type))"]
        }
    }

    static func dtype(_ type: ParquetType) -> String {
        switch type {
        case .boolean: "bool"
        case .int32: "int32"
        case .int64: "int64"
        case .float: "float32"
        case .double: "float64"
        case .string: "string"
        case .binary: "binary"
        case .timestampMillis: "timestamp[ms, tz=UTC]"
        case .timestampMicros: "timestamp[us, tz=UTC]"
        case .list, .struct: "null"  // handled by featureLines
        }
    }

    private func sizeCategory(_ rows: Int) -> String {
        switch rows {
        case ..<1_000: "n<1K"
        case ..<10_000: "1K<n<10K"
        case ..<100_000: "10K<n<100K"
        case ..<1_000_000: "100K<n<1M"
        default: "1M<n<10M"
        }
    }

    private func prose() -> [String] {
        func fixed(_ value: Double) -> String { String(format: "%.3f", value) }
        var lines = ["# synth coding-agent trajectories", "",
                     "Trajectories of coding agents solving tasks in isolated containers, recorded by synth. One row per task: "
                        + "the whole conversation in OpenAI chat format (`messages`, ready for SFT, with `message_loss_mask` marking "
                        + "assistant turns), every step with its reward and, when the model returned them, token ids and logprobs "
                        + "(`steps`, for RL), the final patch, and the verification result.", "",
                     "- Export: `\(exportID)`",
                     "- Filters: \(filters.isEmpty ? "none" : filters.joined(separator: "; "))",
                     "- Trajectories: \(summary.rows)",
                     "- Verification passed: \(summary.passed) (pass rate \(fixed(summary.passRate)))",
                     "- Mean reward: \(fixed(summary.meanReward))",
                     "- Files: \(summary.files.count) Parquet shard(s), \(summary.bytes) bytes", "",
                     "## Reward distribution", ""]
        if let q = summary.rewardQuantiles["median"] {
            lines.append("min \(fixed(summary.rewardQuantiles["min"] ?? 0)), p25 \(fixed(summary.rewardQuantiles["p25"] ?? 0)), "
                         + "median \(fixed(q)), p75 \(fixed(summary.rewardQuantiles["p75"] ?? 0)), max \(fixed(summary.rewardQuantiles["max"] ?? 0))")
            lines.append("")
        }
        lines += ["| reward | rows |", "|---|---|"]
        for (index, count) in summary.rewardHistogram.enumerated() {
            let upper = index == 9 ? "1.0]" : String(format: "%.1f)", Double(index + 1) / 10)
            lines.append(String(format: "| [%.1f, ", Double(index) / 10) + upper + " | \(count) |")
        }
        lines += ["", "## By category", "", "| category | rows |", "|---|---|"]
        lines += summary.categories.sorted { $0.key < $1.key }.map { "| \($0.key) | \($0.value) |" }
        lines += ["", "## By model", "", "| model | rows |", "|---|---|"]
        lines += summary.models.sorted { $0.key < $1.key }.map { "| \($0.key) | \($0.value) |" }
        lines += ["", "## Loading", "", "```python", "from datasets import load_dataset",
                  "dataset = load_dataset(\"parquet\", data_files=\"data/\(split)-*.parquet\")", "```"]
        return lines
    }
}
