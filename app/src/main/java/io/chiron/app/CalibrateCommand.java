package io.chiron.app;

import io.chiron.policy.profile.GpuProfile;
import io.chiron.policy.profile.LatencyModel;

import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintStream;
import java.util.List;
import java.util.concurrent.Callable;

/** {@code chiron calibrate}: how well the simulator's latency model fits a GPU profile. */
@Command(
        name = "calibrate",
        mixinStandardHelpOptions = true,
        description = {
            "Fits the simulator's iteration-latency model to a GPU profile and prints the model's"
                    + " relative error at every measured point, then the largest and the mean.",
            "Decode steps: piecewise-linear in the batch size at each measured context, linear in"
                    + " the context between them. Prefill: piecewise-linear in the tokens of the"
                    + " iteration plus a fitted attention term in the squared sequence length."
        })
final class CalibrateCommand implements Callable<Integer> {
    @Option(
            names = "--profile",
            defaultValue = GpuProfile.DEFAULT,
            description =
                    "The shipped ${DEFAULT-VALUE} or a CSV file"
                            + " (phase,batch_size,context_tokens,prompt_tokens,latency_ms).")
    String profile;

    @Override
    public Integer call() {
        PrintStream out = System.out;
        LatencyModel model = new LatencyModel(GpuProfile.load(profile));
        List<LatencyModel.FitPoint> fit = model.fit();
        out.printf(
                "Profile %s: %d points (%d decode, %d prefill), KV cache %,d tokens%n%n",
                model.profile().name(),
                fit.size(),
                model.profile().decodeRows().size(),
                model.profile().prefillRows().size(),
                model.profile().kvCapacityTokens());
        out.printf(
                "%-18s %6s %8s %8s %11s %11s %8s%n",
                "phase", "batch", "context", "prompt", "measured ms", "model ms", "error");
        double max = 0;
        double sum = 0;
        for (LatencyModel.FitPoint p : fit) {
            double e = p.relativeError();
            max = Math.max(max, Math.abs(e));
            sum += Math.abs(e);
            out.printf(
                    "%-18s %6d %8d %8d %11.3f %11.3f %+7.2f%%%n",
                    p.row().phase(),
                    p.row().batchSize(),
                    p.row().contextTokens(),
                    p.row().promptTokens(),
                    p.row().latencyMs(),
                    p.modelMs(),
                    e * 100);
        }
        out.printf(
                "%nmax |error| %.2f %%, mean |error| %.2f %% over %d points%n",
                max * 100, sum / fit.size() * 100, fit.size());
        out.printf(
                "prefill attention term: %.3g ms per squared token; weight-read floor %.2f ms%n",
                model.attentionMsPerSquareToken(), model.floorMs());
        return 0;
    }
}
