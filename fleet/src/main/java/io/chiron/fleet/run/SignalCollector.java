package io.chiron.fleet.run;

import io.chiron.fleet.sim.TelemetryListener;
import io.chiron.policy.signals.InstanceWindow;
import io.chiron.policy.signals.PoolBook;
import io.chiron.policy.signals.PoolWindow;
import io.chiron.records.InstanceHeartbeat;
import io.chiron.records.InstanceSignal;
import io.chiron.records.PoolSignal;
import io.chiron.records.RequestEvent;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The telemetry job without Flink: the same tumbling event-time windows, assigned by each record's
 * timestamp, aggregated by the same {@link InstanceWindow}, {@link PoolWindow} and {@link PoolBook}
 * the Flink operators use. Feeds the in-process simulation and the direct replay path.
 */
public final class SignalCollector implements TelemetryListener {
    /** One closed window's signals: every reporting instance (by id), then the pool. */
    public record Window(List<InstanceSignal> instances, PoolSignal pool) {}

    private final long windowMs;
    private final int expectedHeartbeats;
    private final long bucketMs;
    private final TreeMap<Long, Map<String, InstanceWindow>> instances = new TreeMap<>();
    private final TreeMap<Long, PoolWindow> pools = new TreeMap<>();
    private final PoolBook book = new PoolBook();

    public SignalCollector(long windowMs, long heartbeatMs, long bucketMs) {
        this.windowMs = windowMs;
        this.expectedHeartbeats = (int) (windowMs / Math.max(1, heartbeatMs));
        this.bucketMs = bucketMs;
    }

    private long windowOf(long ts) {
        return Math.floorDiv(ts, windowMs) * windowMs;
    }

    @Override
    public void request(RequestEvent e) {
        long w = windowOf(e.getTsMs());
        pools.computeIfAbsent(w, k -> new PoolWindow()).add(e, bucketMs);
        if (e.getInstanceId() != null) {
            instanceWindow(w, e.getInstanceId()).add(e);
        }
    }

    @Override
    public void heartbeat(InstanceHeartbeat hb) {
        instanceWindow(windowOf(hb.getTsMs()), hb.getInstanceId()).add(hb);
    }

    private InstanceWindow instanceWindow(long w, String id) {
        return instances
                .computeIfAbsent(w, k -> new HashMap<>())
                .computeIfAbsent(id, k -> new InstanceWindow());
    }

    /**
     * Closes every window that ends at or before {@code endMs} (epoch ms), in time order. Windows
     * without any telemetry yield nothing, as in Flink.
     */
    public List<Window> closeUntil(long endMs) {
        List<Window> closed = new ArrayList<>();
        while (true) {
            Long first = firstOpen();
            if (first == null || first + windowMs > endMs) {
                return closed;
            }
            Map<String, InstanceWindow> byInstance = instances.remove(first);
            PoolWindow pool = pools.remove(first);
            if (pool == null) {
                pool = new PoolWindow();
            }
            List<InstanceSignal> signals = new ArrayList<>();
            if (byInstance != null) {
                new TreeMap<>(byInstance)
                        .forEach(
                                (id, w) -> {
                                    if (w.hasHeartbeats()) {
                                        signals.add(w.toSignal(first, first + windowMs));
                                    }
                                });
            }
            for (InstanceSignal s : signals) {
                pool.add(s, expectedHeartbeats);
            }
            if (pool.model() != null) {
                closed.add(new Window(signals, book.apply(pool, first, first + windowMs)));
            }
        }
    }

    private Long firstOpen() {
        Long a = instances.isEmpty() ? null : instances.firstKey();
        Long b = pools.isEmpty() ? null : pools.firstKey();
        if (a == null) {
            return b;
        }
        return b == null ? a : Math.min(a, b);
    }
}
