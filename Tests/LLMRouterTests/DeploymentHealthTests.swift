import Testing
@testable import synth_llm_router

@Suite struct DeploymentHealthTests {
    @Test func coolsDownAfterTheAllowedConsecutiveFailures() {
        let health = DeploymentHealth(allowedFailures: 3, cooldownSeconds: 3600)
        #expect(health.recordFailure("a") == false)
        #expect(health.recordFailure("a") == false)
        #expect(health.isCoolingDown("a") == false)
        #expect(health.recordFailure("a") == true)
        #expect(health.isCoolingDown("a"))
        // A further failure during the cooldown does not start another one.
        #expect(health.recordFailure("a") == false)
        #expect(health.isCoolingDown("b") == false)
    }

    @Test func aSuccessResetsTheCount() {
        let health = DeploymentHealth(allowedFailures: 2, cooldownSeconds: 3600)
        health.recordFailure("a")
        health.recordSuccess("a")
        #expect(health.recordFailure("a") == false)
        #expect(health.isCoolingDown("a") == false)
        #expect(health.recordFailure("a") == true)
    }

    @Test func anExpiredCooldownStartsAFreshCount() {
        // A zero-length cooldown has expired by the time it is checked: no clock games needed.
        let health = DeploymentHealth(allowedFailures: 2, cooldownSeconds: 0)
        health.recordFailure("a")
        #expect(health.recordFailure("a") == true)
        #expect(health.isCoolingDown("a") == false)
        // The expiry reset the failure count: one failure is not enough again.
        #expect(health.recordFailure("a") == false)
        #expect(health.recordFailure("a") == true)
    }

    @Test func atLeastOneFailureIsAllowed() {
        let health = DeploymentHealth(allowedFailures: 0, cooldownSeconds: 3600)
        #expect(health.allowedFailures == 1)
        #expect(health.recordFailure("a") == true)
        #expect(health.isCoolingDown("a"))
    }
}
