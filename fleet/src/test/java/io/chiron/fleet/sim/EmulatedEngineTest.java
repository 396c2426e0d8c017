package io.chiron.fleet.sim;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The emulator's engine, driven by hand on its own clock. */
class EmulatedEngineTest {
    /** Records what a request's stream got. */
    private static final class Recorder implements EmulatedEngine.Stream {
        final List<Integer> totals = new ArrayList<>();
        double firstMs = -1;
        double finishedMs = -1;

        @Override
        public void tokens(int total, double atMs) {
            if (firstMs < 0) {
                firstMs = atMs;
            }
            totals.add(total);
        }

        @Override
        public void finished(double atMs) {
            finishedMs = atMs;
        }
    }

    /** Runs the engine until idle; returns the most requests that ran at once. */
    private static int runToIdle(EmulatedEngine e) {
        int high = e.running();
        while (Double.isFinite(e.nextEventMs())) {
            e.advanceTo(e.nextEventMs());
            high = Math.max(high, e.running());
        }
        return high;
    }

    @Test
    void everyTokenArrivesOnceInOrderAndMaxNumSeqsBoundsTheBatch() {
        EmulatedEngine e = new EmulatedEngine(new SimConfig(), "e", 4, false);
        List<Recorder> streams = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Recorder r = new Recorder();
            streams.add(r);
            e.submit(true, 100, 20, 0, r);
        }
        // The first starts an iteration at once; the others join at its end (admission at step
        // boundaries, as vLLM's scheduler does): 1 running, 9 waiting.
        assertThat(e.running()).isEqualTo(1);
        assertThat(e.waiting()).isEqualTo(9);
        e.advanceTo(e.nextEventMs());
        // At the boundary, max-num-seqs 4: 4 run, 6 still wait.
        assertThat(e.running()).isEqualTo(4);
        assertThat(e.waiting()).isEqualTo(6);
        assertThat(runToIdle(e)).isEqualTo(4);
        for (Recorder r : streams) {
            // One step per token after the prefill: totals 1, 2, ..., 20, each once.
            assertThat(r.totals).isSorted().doesNotHaveDuplicates().endsWith(20);
            assertThat(r.totals.get(0)).isEqualTo(1);
            assertThat(r.finishedMs).isGreaterThan(r.firstMs);
        }
        assertThat(e.generationTokens()).isEqualTo(10 * 20);
        assertThat(e.promptTokens()).isEqualTo(10 * 100);
        // Later admissions start after earlier ones finish: the 5th waits for a slot.
        assertThat(streams.get(4).firstMs).isGreaterThan(streams.get(0).firstMs);
        assertThat(e.running()).isZero();
        assertThat(e.kvCacheUsage()).isZero();
    }

    @Test
    void withPrioritySchedulingInteractiveWorkPreemptsBatchWhenSlotsRunOut() {
        EmulatedEngine e = new EmulatedEngine(new SimConfig(), "e", 2, true);
        Recorder b1 = new Recorder();
        Recorder b2 = new Recorder();
        e.submit(false, 50, 200, 0, b1);
        e.submit(false, 50, 200, 0, b2);
        e.advanceTo(e.nextEventMs()); // both batch requests prefilled, decoding
        Recorder interactive = new Recorder();
        double at = e.nextEventMs();
        e.submit(true, 50, 5, at, interactive);
        runToIdle(e);
        // The interactive request got a slot by preempting a batch one, and finished first.
        assertThat(e.preemptions()).isPositive();
        assertThat(interactive.finishedMs).isLessThan(b1.finishedMs).isLessThan(b2.finishedMs);
        assertThat(b1.totals).endsWith(200);
        assertThat(b2.totals).endsWith(200);
    }

    @Test
    void withoutItTheInteractiveRequestWaitsItsTurn() {
        EmulatedEngine e = new EmulatedEngine(new SimConfig(), "e", 2, false);
        Recorder b1 = new Recorder();
        e.submit(false, 50, 200, 0, b1);
        e.submit(false, 50, 200, 0, new Recorder());
        e.advanceTo(e.nextEventMs());
        Recorder interactive = new Recorder();
        e.submit(true, 50, 5, e.nextEventMs(), interactive);
        runToIdle(e);
        assertThat(e.preemptions()).isZero();
        assertThat(interactive.firstMs).isGreaterThanOrEqualTo(b1.finishedMs);
    }

    @Test
    void aCancelledRequestStopsAndFreesItsSlot() {
        EmulatedEngine e = new EmulatedEngine(new SimConfig(), "e", 1, false);
        Recorder gone = new Recorder();
        EmulatedEngine.Handle h = e.submit(true, 50, 1000, 0, gone);
        Recorder next = new Recorder();
        e.submit(true, 50, 5, 0, next);
        e.advanceTo(e.nextEventMs());
        e.advanceTo(e.nextEventMs());
        int before = gone.totals.size();
        e.cancel(h, e.nextEventMs());
        runToIdle(e);
        assertThat(gone.totals).hasSize(before); // nothing more sent to it
        assertThat(gone.finishedMs).isNegative();
        assertThat(next.totals).endsWith(5); // the slot went to the next request
    }
}
