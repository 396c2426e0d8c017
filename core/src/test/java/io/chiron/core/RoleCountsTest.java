package io.chiron.core;

import io.chiron.records.InstanceRole;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class RoleCountsTest {
    @Test
    void countsAreKeyedByRoleAndImmutable() {
        RoleCounts c = RoleCounts.of(3, 1, 2);
        RoleCounts d = c.with(InstanceRole.BATCH, 5);
        assertThat(c.batch()).isEqualTo(2);
        assertThat(d.get(InstanceRole.BATCH)).isEqualTo(5);
        assertThat(d.total()).isEqualTo(9);
        assertThat(c.plus(d)).isEqualTo(RoleCounts.of(6, 2, 7));
        assertThat(RoleCounts.of(Map.of(InstanceRole.MIXED, 4))).isEqualTo(RoleCounts.mixed(4));
        assertThat(c).hasToString("3 interactive, 1 mixed, 2 batch");
        assertThat(RoleCounts.of(0, -1, 0).anyNegative()).isTrue();
    }

    @Test
    void timingCountsWindowsInDurations() {
        LoopTiming t =
                new LoopTiming(
                        Duration.ofSeconds(10), Duration.ofSeconds(15), Duration.ofMinutes(1));
        // 30 s of 10 s windows: 3; a span shorter than a window still counts one.
        assertThat(t.windows(Duration.ofSeconds(30))).isEqualTo(3);
        assertThat(t.windows(Duration.ofSeconds(4))).isEqualTo(1);
        assertThat(t.seconds(3)).isEqualTo(30.0);
    }
}
