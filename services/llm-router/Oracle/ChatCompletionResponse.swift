import Foundation
import SynthCommon

/// An OpenAI `chat.completion` object with one choice.
struct ChatCompletionResponse: Encodable {
    struct Choice: Encodable {
        var index = 0
        var message: ChatMessage
        var finishReason: String
        enum CodingKeys: String, CodingKey { case index, message, finishReason = "finish_reason" }
    }

    struct Usage: Encodable {
        var promptTokens: Int
        var completionTokens: Int
        var totalTokens: Int
        enum CodingKeys: String, CodingKey {
            case promptTokens = "prompt_tokens", completionTokens = "completion_tokens", totalTokens = "total_tokens"
        }
    }

    var id = "chatcmpl-" + UUID().uuidString.lowercased().replacingOccurrences(of: "-", with: "")
    var object = "chat.completion"
    var created = Int(Date().timeIntervalSince1970)
    var model: String
    var choices: [Choice]
    var usage: Usage

    init(model: String, message: ChatMessage, promptTokens: Int, completionTokens: Int) {
        self.model = model
        self.choices = [Choice(message: message, finishReason: message.toolCalls == nil ? "stop" : "tool_calls")]
        self.usage = Usage(promptTokens: promptTokens, completionTokens: completionTokens, totalTokens: promptTokens + completionTokens)
    }
}
