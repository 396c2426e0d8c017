package io.chiron.gateway.vllm;

import java.util.List;

/**
 * vLLM's metric names, in one place, newest first where a metric was renamed: {@code
 * kv_cache_usage_perc} replaced {@code gpu_cache_usage_perc} (deprecated in 0.9.2, removed in
 * 0.12), {@code inter_token_latency_seconds} replaced {@code time_per_output_token_seconds}
 * (deprecated in 0.11). The bridge takes the first name a scrape carries.
 */
public final class VllmNames {
    private VllmNames() {}

    public static final List<String> RUNNING = List.of("vllm:num_requests_running");
    public static final List<String> WAITING = List.of("vllm:num_requests_waiting");
    public static final List<String> KV_USAGE =
            List.of("vllm:kv_cache_usage_perc", "vllm:gpu_cache_usage_perc");
    public static final List<String> CACHE_CONFIG = List.of("vllm:cache_config_info");
    public static final List<String> PREEMPTIONS = List.of("vllm:num_preemptions_total");
    public static final List<String> PROMPT_TOKENS = List.of("vllm:prompt_tokens_total");
    public static final List<String> GENERATION_TOKENS = List.of("vllm:generation_tokens_total");
    public static final List<String> ITL =
            List.of("vllm:inter_token_latency_seconds", "vllm:time_per_output_token_seconds");
}
