package io.chiron.app;

import io.chiron.app.report.Format;
import io.chiron.fleet.sim.Fleet;
import io.chiron.fleet.sim.FleetStats;
import io.chiron.records.InstanceRole;
import io.chiron.records.InstanceState;

import java.util.IntSummaryStatistics;

/** One status line about a fleet: instances by role, queues, batch sizes, SLO attainment so far. */
final class FleetStatus {
    private FleetStatus() {}

    static String line(Fleet f) {
        FleetStats s = f.stats();
        int starting = 0;
        StringBuilder roles = new StringBuilder();
        for (InstanceRole role : InstanceRole.values()) {
            roles.append(role.name().charAt(0))
                    .append(f.count(role, InstanceState.RUNNING))
                    .append(' ');
            starting += f.count(role, InstanceState.PROVISIONING);
        }
        IntSummaryStatistics caps =
                f.batchCaps().values().stream().mapToInt(Integer::intValue).summaryStatistics();
        String b =
                caps.getCount() == 0
                        ? "-"
                        : caps.getMin() == caps.getMax()
                                ? String.valueOf(caps.getMin())
                                : caps.getMin() + "-" + caps.getMax();
        return String.format(
                "instances %s(+%d starting) | queue i%d b%d | B %s | SLO i %s b %s",
                roles,
                starting,
                f.queuedInteractive(),
                f.queuedBatch(),
                b,
                Format.percent(s.interactiveAttainment()),
                Format.percent(s.batchAttainment()));
    }
}
