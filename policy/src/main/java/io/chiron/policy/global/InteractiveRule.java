package io.chiron.policy.global;

import io.chiron.policy.ChironConfig;
import io.chiron.records.InstanceRole;
import io.chiron.records.PoolSignal;

import java.io.Serializable;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The INTERACTIVE pool: {@code b_int = max(U/U_target, TTFT_p95/(θ·TTFT_SLO))} (DESIGN.md §2), with
 * the arrival rate sizing the pool one cold start ahead, and a scale-in after the stabilization
 * window below {@code scale-in-below}. See {@link GlobalAutoscaler}.
 */
final class InteractiveRule implements Serializable {
    private static final long serialVersionUID = 1L;

    /** The recent arrival rate the sizing starts from: long enough to smooth Poisson noise. */
    static final Duration RECENT = Duration.ofSeconds(30);

    /** The span before it that the trend compares against. */
    static final Duration BEFORE = Duration.ofMinutes(1);

    private final ChironConfig config;
    private final PoolLoad load;

    InteractiveRule(ChironConfig config, PoolLoad load) {
        this.config = config;
        this.load = load;
    }

    /** Steps of the HOLT forecaster's demand series. */
    static final Duration STEP = Duration.ofSeconds(15);

    /** A surge's forecast is at most this many times its last step's demand. */
    static final double SURGE_CAP = 2;

    /**
     * HOLT: the demand forecast one horizon ahead plus z standard deviations of its one-step error;
     * rising only, and at most half again the recent demand, as TREND. Falls back to the recent
     * demand while there are fewer than four steps of history. A surge (see {@link
     * DemandForecast#surge}) lifts both.
     */
    private double holtAhead(
            PoolSignal p,
            PoolState state,
            double recent,
            double horizonSeconds,
            Map<String, Double> inputs) {
        double[] series = load.interactiveNeedSeries(p, state, STEP);
        // Steps are whole windows: 15 s at 5 s windows, one window when windows are longer.
        int steps = (int) Math.ceil(horizonSeconds * 1000 / load.seriesStep(STEP).toMillis());
        double surge = DemandForecast.surge(series, config.surgeRise, steps, SURGE_CAP);
        if (surge > 0) {
            inputs.put("forecast_interactive_surge", surge);
        }
        if (series.length < 4) {
            return Math.max(recent, surge);
        }
        DemandForecast.Forecast f =
                DemandForecast.holt(series, DemandForecast.ALPHA, DemandForecast.BETA, steps);
        double upper = f.mean() + config.forecastZ * f.sigma();
        inputs.put(GlobalAutoscaler.INTERACTIVE_FORECAST, f.mean());
        inputs.put(GlobalAutoscaler.INTERACTIVE_FORECAST_SIGMA, f.sigma());
        inputs.put(
                GlobalAutoscaler.FORECAST_HORIZON_S,
                steps * load.seriesStep(STEP).toMillis() / 1000.0);
        return Math.max(surge, Math.max(recent, Math.min(1.5 * recent, upper)));
    }

    /**
     * What the season before says to size for over the horizon (see {@link Season#ahead}), after
     * recording the newest step's demand into it (NaN: no step of history yet); 0 when it says
     * nothing or seasonality is off.
     */
    private double seasonAhead(
            PoolSignal p,
            PoolState state,
            double recent,
            double newest,
            Duration step,
            double horizonSeconds,
            Map<String, Double> inputs) {
        if (config.season.isZero() || config.forecast == ChironConfig.Forecaster.OFF) {
            return 0;
        }
        long bucketMs = Season.bucketMs(config.season, step);
        long now = p.getWindowEndMs();
        if (!Double.isNaN(newest)) {
            Season.record(state, now, newest, config.season, bucketMs);
        }
        double ahead = Season.ahead(state, now, (long) (horizonSeconds * 1000), bucketMs, recent);
        if (ahead > 0) {
            inputs.put(GlobalAutoscaler.INTERACTIVE_SEASON, ahead);
        }
        return ahead;
    }

    /**
     * The interactive demand of the busiest {@link #RECENT} span of the stabilization window,
     * sliding by one window; the recent span while the history is shorter.
     */
    private double peakNeed(PoolSignal p, PoolState state) {
        double peak = load.interactiveNeed(p, state, Duration.ZERO, RECENT);
        Duration step = load.timing().window();
        for (Duration ago = step;
                ago.plus(RECENT).compareTo(config.stabilization) <= 0
                        && load.hasHistory(state, ago, RECENT);
                ago = ago.plus(step)) {
            peak = Math.max(peak, load.interactiveNeed(p, state, ago, RECENT));
        }
        return peak;
    }

    Proposal propose(Look look) {
        PoolSignal p = look.pool();
        PoolState state = look.state();
        int current = look.current().get(InstanceRole.INTERACTIVE);
        long lastQueue = state.lastQueueInteractive;
        state.lastQueueInteractive = p.getQueueInteractive();
        long capacity = p.getBatchCapInteractive() + p.getBatchCapMixed();
        long running = p.getRunningInteractive();
        double u =
                capacity == 0
                        ? (running > 0 ? Double.POSITIVE_INFINITY : 0)
                        : (double) running / capacity;
        double ttftTerm = p.getTtftP95Ms() / (config.theta * config.interactiveTtft.toMillis());
        double bInt = Math.max(u / config.utilizationTarget, ttftTerm);
        Map<String, Double> inputs = new LinkedHashMap<>();
        inputs.put("interactive_utilization", u);
        inputs.put("ttft_p95_ms", p.getTtftP95Ms());
        inputs.put("b_int", bInt);

        if (bInt > 1) {
            state.highPeriods++;
            state.lowSinceMs = 0;
        } else {
            state.highPeriods = 0;
        }
        int serving = p.getInstancesInteractive() + p.getInstancesMixed();
        // Starting: what the telemetry shows provisioning, and what was asked for and does not
        // show yet (an in-flight target above the observed count: a pod that has no telemetry
        // until it runs). Not counting the latter asked for the same deficit again each period.
        int observedInteractive = p.getInstancesInteractive() + p.getProvisioningInteractive();
        int pending =
                p.getProvisioningInteractive()
                        + p.getProvisioningMixed()
                        + Math.max(0, current - observedInteractive);
        // What the interactive arrivals need at U_target: their prompts at the prefill cost,
        // their outputs at 1/T(B). The rate is known at arrival, before any TTFT degrades, and
        // is not noisy: a deficit by rate needs no confirmation. Sized for the load one cold
        // start ahead: the rate of the last 30 s, plus its rise against the minute before carried
        // over the cold start and one period (rising only, at most half again), since capacity
        // asked for now serves only after a cold start.
        double recent = load.interactiveNeed(p, state, Duration.ZERO, RECENT);
        double older =
                load.hasHistory(state, RECENT, BEFORE)
                        ? load.interactiveNeed(p, state, RECENT, BEFORE)
                        : recent; // no history for a trend
        // The two spans' centres lie half of each apart.
        double apart = (RECENT.toMillis() + BEFORE.toMillis()) / 2000.0;
        double slope = Math.max(0, recent - older) / apart;
        double horizon = (config.coldStart.toMillis() + config.globalPeriod.toMillis()) / 1000.0;
        // The newest step's demand, reported whatever the forecaster: what a forecast is judged
        // against (the job's gauge, the simulator's backtest), the last entry of HOLT's series.
        Duration step = load.seriesStep(STEP);
        double newest =
                load.hasHistory(state, Duration.ZERO, step)
                        ? load.interactiveNeed(p, state, Duration.ZERO, step)
                        : Double.NaN;
        if (!Double.isNaN(newest)) {
            inputs.put(GlobalAutoscaler.INTERACTIVE_DEMAND, newest);
        }
        double ahead =
                switch (config.forecast) {
                    case OFF -> recent;
                    case TREND -> recent + Math.min(0.5 * recent, slope * horizon);
                    case HOLT -> holtAhead(p, state, recent, horizon, inputs);
                };
        // A recurring rise the season before had over the horizon: sized for before it comes.
        double seasonal = seasonAhead(p, state, recent, newest, step, horizon, inputs);
        boolean bySeason = seasonal > ahead;
        ahead = Math.max(ahead, seasonal);
        double byRate = ahead / config.utilizationTarget;
        inputs.put("interactive_instances_by_rate", byRate);
        int rateDeficit = (int) Math.ceil(byRate - 1e-9) - serving - pending;
        // Pressure, confirmed over periods, adds capacity while it is short: slots saturated or
        // the queue growing (a high TTFT over a shrinking queue is a backlog draining on enough
        // capacity). While instances are starting it does not show them yet: then only the rate
        // may ask for more than is already coming.
        boolean confirmed = bInt > 1 && state.highPeriods >= config.confirmPeriods;
        boolean short_ = u > config.utilizationTarget || p.getQueueInteractive() > lastQueue;
        int byPressure =
                confirmed && short_ && pending == 0
                        ? (int) Math.ceil(serving * (Math.min(bInt, config.maxScaleOutFactor) - 1))
                        : 0;
        // Pressure drains a backlog; it need not go far beyond what the rate needs.
        if (byRate > 0) {
            byPressure = Math.min(byPressure, Math.max(1, (int) Math.ceil(1.5 * byRate) - serving));
        }
        int add = Math.max(rateDeficit, byPressure);
        if (serving + pending == 0) {
            add = Math.max(add, 1);
        }
        if (add > 0) {
            int periods = state.highPeriods;
            state.highPeriods = 0; // the next pressure scale-out needs its own confirmation
            String reason =
                    add == rateDeficit && rateDeficit >= byPressure
                            ? String.format(
                                    "interactive arrivals need %.1f instances at U_target %.2f:"
                                            + " +%d on %d serving, %d starting%s",
                                    byRate,
                                    config.utilizationTarget,
                                    add,
                                    serving,
                                    pending,
                                    bySeason
                                            ? String.format(
                                                    " (one season ago the demand rose to %.2f"
                                                            + " over the next %.0f s)",
                                                    seasonal, horizon)
                                            : "")
                            : String.format(
                                    "interactive backpressure b_int=%.2f > 1 for %d periods (U=%.2f,"
                                            + " TTFT p95 %.0f ms): +%d on %d serving, %d starting",
                                    bInt, periods, u, p.getTtftP95Ms(), add, serving, pending);
            return new Proposal(current + add, current, reason, inputs);
        }
        if (bInt >= config.scaleInBelow) {
            state.lowSinceMs = 0;
            return new Proposal(current, current, null, inputs);
        }
        // Never below what the busiest 30 s of the stabilization window needed (without the
        // trend), with 10 % to spare: the hysteresis that keeps a pool through gaps in its bursts.
        int keep = (int) Math.ceil(1.1 * peakNeed(p, state) / config.utilizationTarget - 1e-9);
        // Nor below what the forecast needs over the horizon (the trend, a surge, a recurring
        // rise of the season before): an instance given back now would be asked for again a
        // cold start too late.
        keep = Math.max(keep, (int) Math.ceil(byRate - 1e-9));
        boolean rateAllows = serving - 1 >= keep;
        // What a growing role may take from this one at once (a role change skips the cooldown):
        // nothing the arrivals need one cold start ahead, trend included.
        int byTrend = (int) Math.ceil(1.1 * byRate - 1e-9);
        int needed =
                rateAllows
                        ? Math.max(config.minInteractive, Math.max(current - 1, byTrend))
                        : current;
        needed = Math.min(current, needed);
        if (state.lowSinceMs == 0) {
            state.lowSinceMs = look.now();
        }
        boolean stable = look.now() - state.lowSinceMs >= config.stabilization.toMillis();
        if (stable
                && rateAllows
                && !look.stale()
                && current > config.minInteractive
                && GlobalAutoscaler.cooledDown(config, state, look.now())) {
            state.lowSinceMs = look.now();
            int fewer =
                    Math.min(
                            Math.min(config.scaleInStep, serving - keep),
                            current - config.minInteractive);
            return new Proposal(
                    current - fewer,
                    needed,
                    String.format(
                            "interactive backpressure b_int=%.2f < %.2f for %d s, the busiest"
                                    + " 30 s needed %d: %d %s fewer",
                            bInt,
                            config.scaleInBelow,
                            config.stabilization.toSeconds(),
                            keep,
                            fewer,
                            fewer == 1 ? "instance" : "instances"),
                    inputs);
        }
        return new Proposal(current, needed, null, inputs);
    }
}
