import Testing
@testable import synth_llm_router

@Suite struct NormalizedUsageTests {
    @Test func readsOpenAIUsageWithDetails() throws {
        let usage = NormalizedUsage(openAIUsage: try RouterFixtures.json("""
            {"prompt_tokens": 1200, "completion_tokens": 300, "total_tokens": 1500,
             "prompt_tokens_details": {"cached_tokens": 1000}, "completion_tokens_details": {"reasoning_tokens": 120},
             "cache_creation_input_tokens": 50}
            """))
        #expect(usage.promptTokens == 1200)
        #expect(usage.completionTokens == 300)
        #expect(usage.cachedTokens == 1000)
        #expect(usage.reasoningTokens == 120)
        #expect(usage.cacheCreationTokens == 50)
        #expect(usage.totalTokens == 1500)
    }

    @Test func missingOrMalformedUsageIsZero() throws {
        #expect(NormalizedUsage(openAIUsage: nil) == NormalizedUsage())
        #expect(NormalizedUsage(openAIUsage: .null) == NormalizedUsage())
        #expect(NormalizedUsage(openAIUsage: .string("12")) == NormalizedUsage())
        let partial = NormalizedUsage(openAIUsage: try RouterFixtures.json(#"{"prompt_tokens": 7}"#))
        #expect(partial.promptTokens == 7)
        #expect(partial.completionTokens == 0)
    }

    @Test func openAIObjectRoundTrips() {
        var usage = NormalizedUsage()
        usage.promptTokens = 10
        usage.completionTokens = 5
        usage.cachedTokens = 4
        usage.reasoningTokens = 2
        usage.cacheCreationTokens = 3
        let object = usage.openAIObject
        #expect(object["total_tokens"]?.intValue == 15)
        #expect(NormalizedUsage(openAIUsage: object) == usage)
        usage.cacheCreationTokens = 0
        #expect(usage.openAIObject["cache_creation_input_tokens"] == nil)
    }

    @Test func costPricesEachKindOfToken() throws {
        let model = try RouterFixtures.deployment("""
            {"name": "m", "provider": "anthropic", "base_url": "http://x", "input_price_per_million": 3,
             "output_price_per_million": 15, "cached_input_price_per_million": 0.3, "cache_write_price_per_million": 3.75}
            """)
        var usage = NormalizedUsage()
        usage.promptTokens = 1_000_000 + 2_000_000 + 4_000_000  // uncached + cached + cache writes
        usage.cachedTokens = 2_000_000
        usage.cacheCreationTokens = 4_000_000
        usage.completionTokens = 500_000
        // 1M × $3 + 2M × $0.3 + 4M × $3.75 + 0.5M × $15
        #expect(abs(model.cost(usage) - (3 + 0.6 + 15 + 7.5)) < 1e-9)
    }

    @Test func cachedAndCacheWritePricesDefaultToTheInputPrice() throws {
        let model = try RouterFixtures.deployment("""
            {"name": "m", "provider": "openai", "base_url": "http://x", "input_price_per_million": 2, "output_price_per_million": 8}
            """)
        var usage = NormalizedUsage()
        usage.promptTokens = 300_000
        usage.cachedTokens = 100_000
        usage.cacheCreationTokens = 100_000
        usage.completionTokens = 100_000
        usage.reasoningTokens = 60_000  // part of completion, not charged twice
        #expect(abs(model.cost(usage) - (0.3 * 2 + 0.1 * 8)) < 1e-9)
    }

    @Test func cachedTokensAboveThePromptNeverMakeANegativeCharge() throws {
        let model = try RouterFixtures.deployment("""
            {"name": "m", "provider": "openai", "base_url": "http://x", "input_price_per_million": 1,
             "cached_input_price_per_million": 0.5}
            """)
        var usage = NormalizedUsage()
        usage.promptTokens = 10
        usage.cachedTokens = 1_000_000
        #expect(abs(model.cost(usage) - 0.5) < 1e-9)
    }

    @Test func maximumCostUsesMaxTokensThenTheModelLimitThenTheWindow() throws {
        let capped = try RouterFixtures.deployment("""
            {"name": "m", "provider": "openai", "base_url": "http://x", "input_price_per_million": 1,
             "output_price_per_million": 10, "max_output_tokens": 1000}
            """)
        #expect(abs(capped.maximumCost(promptTokens: 1_000_000, maxTokens: 100_000) - (1 + 1)) < 1e-9)
        #expect(abs(capped.maximumCost(promptTokens: 0, maxTokens: nil) - 0.01) < 1e-12)
        let windowed = try RouterFixtures.deployment("""
            {"name": "w", "provider": "openai", "base_url": "http://x", "output_price_per_million": 1000000, "context_window": 1000}
            """)
        // min(4096, max(256, 1000 - 900)) = 256 output tokens.
        #expect(abs(windowed.maximumCost(promptTokens: 900, maxTokens: nil) - 256) < 1e-9)
    }
}
