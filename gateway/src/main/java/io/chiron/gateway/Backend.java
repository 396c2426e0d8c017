package io.chiron.gateway;

import io.chiron.gateway.vllm.EngineSample;
import io.chiron.records.InstanceRole;
import io.chiron.records.RequestClass;

/**
 * The gateway's view of one instance: its admission cap B (from {@code SET_BATCH_SIZE}, at most its
 * {@code --max-num-seqs}), what it has in flight through the gateway, whether it drains, and its
 * last scrape. Touched only on the gateway's event loop.
 */
final class Backend {
    final BackendSpec spec;
    InstanceRole role;
    int cap;
    int inFlightInteractive;
    int inFlightBatch;
    boolean draining;

    /** Its last scrape failed (or none succeeded yet): no heartbeat, no new requests. */
    boolean stale = true;

    EngineSample last;
    long lastScrapeMs;
    final long discoveredMs;
    String model;

    /** The pod-deletion cost last set on its pod (Kubernetes discovery), or null. */
    Integer deletionCost;

    Backend(BackendSpec spec, long nowMs) {
        this.spec = spec;
        this.role = spec.role();
        this.cap = spec.maxNumSeqs();
        this.discoveredMs = nowMs;
    }

    String id() {
        return spec.id();
    }

    int inFlight() {
        return inFlightInteractive + inFlightBatch;
    }

    /** Whether it takes another request now. */
    boolean admits() {
        return !stale && !draining && inFlight() < cap;
    }

    void started(RequestClass c) {
        if (c == RequestClass.INTERACTIVE) {
            inFlightInteractive++;
        } else {
            inFlightBatch++;
        }
    }

    void ended(RequestClass c) {
        if (c == RequestClass.INTERACTIVE) {
            inFlightInteractive--;
        } else {
            inFlightBatch--;
        }
    }

    /** Sets B, within [1, max-num-seqs]; returns the value it took. */
    int setCap(int requested) {
        cap = Math.max(1, Math.min(spec.maxNumSeqs(), requested));
        return cap;
    }
}
