package io.chiron.policy.local;

import io.chiron.policy.ChironConfig;
import io.chiron.policy.profile.GpuProfile;
import io.chiron.policy.profile.LatencyModel;
import io.chiron.records.InstanceSignal;

import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.DoubleRange;
import net.jqwik.api.constraints.IntRange;

import static io.chiron.policy.Fixtures.instance;
import static org.assertj.core.api.Assertions.assertThat;

class LocalAutoscalerPropertiesTest {
    private static final ChironConfig CONFIG = ChironConfig.defaults();
    private static final LocalAutoscaler LOCAL =
            new LocalAutoscaler(CONFIG, new LatencyModel(GpuProfile.shipped()), "chiron");

    @Property(tries = 500, seed = "21")
    void batchSizesStayWithinTheirBounds(
            @ForAll @IntRange(min = 1, max = 1024) int b,
            @ForAll @DoubleRange(min = 0, max = 500) double itl,
            @ForAll @IntRange(min = 0, max = 1024) int runningMax,
            @ForAll @DoubleRange(min = 0, max = 1) double kv,
            @ForAll boolean fresh) {
        InstanceSignal s =
                instance("i", b)
                        .setItlP95Ms(itl)
                        .setRunningMax(runningMax)
                        .setRunningMean(runningMax)
                        .setKvUtilMean(kv)
                        .build();
        LocalState state = new LocalState();
        if (!fresh) {
            state.target = b;
        }
        LOCAL.decide(s, state)
                .ifPresent(
                        d -> assertThat(d.getTarget()).isBetween(CONFIG.batchMin, CONFIG.batchMax));
    }

    @Property(tries = 300, seed = "22")
    void staleTelemetryNeverChangesTheBatchSize(
            @ForAll @IntRange(min = 1, max = 512) int b,
            @ForAll @DoubleRange(min = 0, max = 500) double itl,
            @ForAll @IntRange(min = 0, max = 2) int heartbeats) {
        InstanceSignal s = instance("i", b).setItlP95Ms(itl).setHeartbeats(heartbeats).build();
        assertThat(LOCAL.decide(s, new LocalState())).isEmpty();
    }
}
