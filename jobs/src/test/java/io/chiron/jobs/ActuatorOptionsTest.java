package io.chiron.jobs;

import io.chiron.guard.GuardConfig;
import io.chiron.policy.ChironConfig;

import org.apache.flink.configuration.Configuration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ActuatorOptionsTest {
    /**
     * The simulator applies decisions through {@code GuardConfig.defaults()}; the job builds its
     * guard from its options. The evaluation only evaluates what users run if the two agree.
     */
    @Test
    void theJobsGuardDefaultsAreTheSimulatorsGuard() {
        GuardConfig job = ActuatorOptions.from(new Configuration(), ChironConfig.defaults()).guard;
        GuardConfig sim = GuardConfig.defaults();
        assertThat(job.minReplicas).isEqualTo(sim.minReplicas);
        assertThat(job.maxReplicas).isEqualTo(sim.maxReplicas);
        assertThat(job.maxStep).isEqualTo(sim.maxStep);
        assertThat(job.minBatchSize).isEqualTo(sim.minBatchSize);
        assertThat(job.maxBatchSize).isEqualTo(sim.maxBatchSize);
        assertThat(job.maxActionsPerMinute).isEqualTo(sim.maxActionsPerMinute);
        assertThat(job.cooldown).isEqualTo(sim.cooldown);
        assertThat(job.maxAge).isEqualTo(sim.maxAge);
        assertThat(job.dryRun).isEqualTo(sim.dryRun);
        assertThat(job.killSwitchFile).isEqualTo(sim.killSwitchFile);
    }
}
