package io.chiron.policy.profile;

import org.junit.jupiter.api.Test;

import java.io.StringReader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class LatencyModelTest {
    private final LatencyModel model = new LatencyModel(GpuProfile.shipped());

    @Test
    void reproducesEveryMeasuredPointWithinFivePercent() {
        assertThat(model.fit()).hasSize(39); // 18 decode + 21 prefill CUDA-graph rows
        for (LatencyModel.FitPoint p : model.fit()) {
            assertThat(Math.abs(p.relativeError())).as(p.row().toString()).isLessThan(0.05);
        }
    }

    @Test
    void decodeStepIsExactAtAMeasuredPoint() {
        // decode_cudagraph,128,2048,0,21.637
        assertThat(model.decodeMs(128, 2048)).isCloseTo(21.637, within(1e-9));
    }

    @Test
    void decodeStepIsLinearInContextBetweenMeasuredContexts() {
        // B=64: 11.063 ms at ctx 512, 15.273 ms at ctx 2048; halfway (1280) is the mean, 13.168.
        assertThat(model.decodeMs(64, 1280)).isCloseTo((11.063 + 15.273) / 2, within(1e-9));
    }

    @Test
    void throughputRisesWithBatchAndFlattensPerSequence() {
        double t8 = model.decodeTokensPerSecond(8, 1024);
        double t64 = model.decodeTokensPerSecond(64, 1024);
        double t256 = model.decodeTokensPerSecond(256, 1024);
        assertThat(t64).isGreaterThan(t8);
        assertThat(t256).isGreaterThan(t64);
        // Diminishing returns: x4 batch from 64 to 256 buys well under x4 throughput.
        assertThat(t256 / t64).isLessThan(3.5);
    }

    @Test
    void mixedIterationSharesOneWeightRead() {
        double d = model.decodeMs(64, 1024);
        double p = model.prefillMs(512, 512.0 * 512);
        double both = model.iterationMs(64, 1024, 512, 512.0 * 512);
        assertThat(both).isCloseTo(d + p - model.floorMs(), within(1e-9));
        assertThat(both).isGreaterThan(Math.max(d, p));
    }

    @Test
    void largestBatchWithinAnItlBound() {
        // At ctx 2048: B=128 -> 21.6 ms, B=248 -> 33.6 ms; 25 ms lies between them.
        int b = model.largestBatchWithin(25, 2048, 512);
        assertThat(model.decodeMs(b, 2048)).isLessThanOrEqualTo(25);
        assertThat(model.decodeMs(b + 1, 2048)).isGreaterThan(25);
        assertThat(b).isBetween(128, 248);
    }

    @Test
    void kvCapacityFollowsTheProfilesMemoryFigures() {
        // (0.9 * 85,017,493,504 - 16,060,522,496 - 810,000,000 - 980,000,000) / 131,072
        assertThat(GpuProfile.shipped().kvCapacityTokens()).isEqualTo(447_580);
    }

    @Test
    void rejectsAProfileWithAWrongHeader() {
        assertThatThrownBy(() -> GpuProfile.parse(new StringReader("a,b\n1,2\n"), "bad.csv"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("bad.csv")
                .hasMessageContaining("phase,batch_size");
    }

    @Test
    void rejectsAnUnreadableRowNamingItsLine() {
        String csv = "phase,batch_size,context_tokens,prompt_tokens,latency_ms\ndecode,x,1,0,2\n";
        assertThatThrownBy(() -> GpuProfile.parse(new StringReader(csv), "p.csv"))
                .hasMessageContaining("p.csv line 2");
    }
}
