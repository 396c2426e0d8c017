package io.chiron.gateway;

import io.chiron.emulator.Emulator;

import java.io.IOException;
import java.util.concurrent.TimeUnit;

/** What the gateway's integration tests share: free ports, and waiting on a condition. */
final class Await {
    private Await() {}

    /** A condition polled until it holds. */
    @FunctionalInterface
    interface Check {
        boolean ok() throws Exception;
    }

    /** Polls a condition every 20 ms for up to 30 s (no fixed sleep stands in for a wait). */
    static void until(Check c, String what) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!c.ok()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("timed out waiting for " + what);
            }
            Thread.sleep(20);
        }
    }

    static int freePort() throws IOException {
        return freePortRange(1);
    }

    /** A first port with the next {@code n - 1} free too (the emulator's probe). */
    static int freePortRange(int n) throws IOException {
        return Emulator.freePorts(n);
    }
}
