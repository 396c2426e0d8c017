package io.chiron.gateway.vllm;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What one scrape of a vLLM server says, summed over its engines (data-parallel ranks): the gauges,
 * the counters and the inter-token latency histogram the bridge turns into heartbeats. A counter or
 * histogram the server does not export is -1 or empty.
 */
public record EngineSample(
        String model,
        double running,
        double waiting,
        double kvUsage,
        long kvCapacityTokens,
        double preemptions,
        double promptTokens,
        double generationTokens,
        Histogram itl) {

    /** A cumulative histogram: count, sum and the bucket counts by upper bound. */
    public record Histogram(double count, double sum, TreeMap<Double, Double> buckets) {
        static final Histogram EMPTY = new Histogram(0, 0, new TreeMap<>());

        public boolean isEmpty() {
            return count == 0 && buckets.isEmpty();
        }

        /**
         * An upper bound of the largest observation since {@code before}: the lowest bucket that
         * holds every new observation (cumulative buckets), or the largest finite bound when only
         * +Inf does; 0 without new observations.
         */
        public double maxSince(Histogram before) {
            double grew = count - before.count;
            if (grew <= 0) {
                return 0;
            }
            double finite = 0;
            for (Map.Entry<Double, Double> e : buckets.entrySet()) {
                if (Double.isInfinite(e.getKey())) {
                    break;
                }
                finite = e.getKey();
                if (e.getValue() - before.buckets.getOrDefault(e.getKey(), 0.0) >= grew) {
                    return finite;
                }
            }
            return finite;
        }
    }

    /** Reads a scrape; throws when it is not a vLLM server's (no running-requests gauge). */
    public static EngineSample of(PrometheusText text) {
        String model = null;
        Double running = null;
        double waiting = 0;
        double kv = 0;
        int kvSeries = 0;
        String kvName = null;
        long capacity = 0;
        double preemptions = -1;
        double prompt = -1;
        double generation = -1;
        String itlName = first(text, VllmNames.ITL);
        String kvUsageName = first(text, VllmNames.KV_USAGE);
        HistogramBuilder itl = new HistogramBuilder(itlName);
        for (PrometheusText.Sample s : text.samples()) {
            String n = s.name();
            if (VllmNames.RUNNING.contains(n)) {
                running = (running == null ? 0 : running) + s.value();
                if (model == null) {
                    model = s.label("model_name");
                }
            } else if (VllmNames.WAITING.contains(n)) {
                waiting += s.value();
            } else if (n.equals(kvUsageName)) {
                kv += s.value(); // averaged over the engines below: data-parallel ranks are alike
                kvSeries++;
                kvName = n;
            } else if (VllmNames.CACHE_CONFIG.contains(n)) {
                capacity += blocks(s);
            } else if (VllmNames.PREEMPTIONS.contains(n)) {
                preemptions = Math.max(0, preemptions) + s.value();
            } else if (VllmNames.PROMPT_TOKENS.contains(n)) {
                prompt = Math.max(0, prompt) + s.value();
            } else if (VllmNames.GENERATION_TOKENS.contains(n)) {
                generation = Math.max(0, generation) + s.value();
            } else {
                itl.accept(s);
            }
        }
        if (running == null) {
            throw new IllegalArgumentException(
                    "not a vLLM /metrics: no " + VllmNames.RUNNING.get(0) + " in the scrape");
        }
        return new EngineSample(
                model,
                running,
                waiting,
                kvName == null ? 0 : kv / kvSeries,
                capacity,
                preemptions,
                prompt,
                generation,
                itl.build());
    }

    private static String first(PrometheusText text, List<String> names) {
        for (String name : names) {
            for (PrometheusText.Sample s : text.samples()) {
                if (s.name().equals(name) || s.name().equals(name + "_count")) {
                    return name;
                }
            }
        }
        return names.get(0);
    }

    /**
     * KV tokens of an engine from its cache config: {@code num_gpu_blocks} × {@code block_size}.
     */
    private static long blocks(PrometheusText.Sample s) {
        try {
            long blocks = Long.parseLong(s.labels().getOrDefault("num_gpu_blocks", "0"));
            long size = Long.parseLong(s.labels().getOrDefault("block_size", "0"));
            return Math.max(0, blocks) * Math.max(0, size);
        } catch (NumberFormatException e) {
            return 0; // "None" before the engine has profiled its memory
        }
    }

    private static final class HistogramBuilder {
        private final String name;
        private double count;
        private double sum;
        private final TreeMap<Double, Double> buckets = new TreeMap<>();

        HistogramBuilder(String name) {
            this.name = name;
        }

        void accept(PrometheusText.Sample s) {
            String n = s.name();
            if (!n.startsWith(name) || n.length() == name.length()) {
                return;
            }
            switch (n.substring(name.length())) {
                case "_count" -> count += s.value();
                case "_sum" -> sum += s.value();
                case "_bucket" -> {
                    String le = s.label("le");
                    if (le != null) {
                        try {
                            double bound =
                                    le.equals("+Inf")
                                            ? Double.POSITIVE_INFINITY
                                            : Double.parseDouble(le);
                            buckets.merge(bound, s.value(), Double::sum);
                        } catch (NumberFormatException e) {
                            // a bucket without a number: skipped
                        }
                    }
                }
                default -> {}
            }
        }

        Histogram build() {
            return count == 0 && buckets.isEmpty()
                    ? Histogram.EMPTY
                    : new Histogram(count, sum, buckets);
        }
    }
}
