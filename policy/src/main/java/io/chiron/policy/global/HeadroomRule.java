package io.chiron.policy.global;

import io.chiron.policy.ChironConfig;
import io.chiron.records.InstanceRole;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The MIXED headroom, the burst reserve: interactive and mixed instances together cover the
 * interactive peak of the recent history's short bursts (chiron.global.burst-span), since no cold
 * start is fast enough for a burst; the mixed instances do batch work while no burst is on.
 */
final class HeadroomRule implements Serializable {
    private static final long serialVersionUID = 1L;

    private final ChironConfig config;
    private final PoolLoad load;

    HeadroomRule(ChironConfig config, PoolLoad load) {
        this.config = config;
        this.load = load;
    }

    /**
     * @param interactiveTarget the interactive rule's target, which the headroom adds to
     */
    Proposal propose(Look look, int interactiveTarget) {
        int current = look.current().get(InstanceRole.MIXED);
        // Bursts shorter than a cold start are what the reserve is for: their peak is measured
        // over chiron.global.burst-span, which a cold-start interval would average away.
        double ratio = load.peakToMean(look.pool(), look.state(), config.burstSpan);
        // The mean need times the peak-to-mean ratio, sized from the mean need and not from the
        // interactive count, which itself follows bursts.
        double meanNeed =
                load.interactiveNeedOverHistory(look.pool(), look.state())
                        / config.utilizationTarget;
        double peakNeed = meanNeed * ratio;
        int wanted =
                Math.max(config.minMixed, (int) Math.ceil(peakNeed - 1e-9) - interactiveTarget);
        Map<String, Double> inputs = new LinkedHashMap<>();
        inputs.put("arrival_peak_to_mean", ratio);
        inputs.put("interactive_peak_need", peakNeed);
        if (wanted > current) {
            return new Proposal(
                    wanted,
                    wanted,
                    String.format(
                            "mixed headroom: the interactive peak (mean need %.1f x peak-to-mean"
                                    + " %.2f of short bursts) needs %.1f instances, %d are"
                                    + " interactive: %d mixed",
                            meanNeed, ratio, peakNeed, interactiveTarget, wanted),
                    inputs);
        }
        if (wanted < current
                && !look.stale()
                && GlobalAutoscaler.cooledDown(config, look.state(), look.now())) {
            return new Proposal(
                    current - 1,
                    wanted,
                    String.format(
                            "mixed headroom: %d needed for peak-to-mean %.2f, have %d: one fewer",
                            wanted, ratio, current),
                    inputs);
        }
        return new Proposal(current, wanted, null, inputs);
    }
}
