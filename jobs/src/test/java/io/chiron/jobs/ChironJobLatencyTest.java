package io.chiron.jobs;

import io.chiron.policy.ChironConfig;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.ExecutionOptions;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The job's latency defaults: Flink's network buffer timeout (100 ms) is paid on each shuffle on
 * the way to a decision, and its watermark interval (200 ms) before each window closes, so the
 * wiring shortens both, unless the user set Flink's own keys.
 */
class ChironJobLatencyTest {
    private static StreamExecutionEnvironment wired(Configuration conf) {
        conf.set(JobOptions.BOOTSTRAP_SERVERS, "127.0.0.1:9092"); // built, never connected
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        ChironJob.wireKafka(env, conf, ChironConfig.defaults());
        return env;
    }

    @Test
    void theWiringShortensFlinksBufferTimeoutAndWatermarkInterval() {
        StreamExecutionEnvironment env = wired(new Configuration());
        assertThat(env.getBufferTimeout()).isEqualTo(10); // ChironJob.BUFFER_TIMEOUT, not 100
        // ChironJob.WATERMARK_INTERVAL, not Flink's 200 ms
        assertThat(env.getConfig().getAutoWatermarkInterval()).isEqualTo(50);
    }

    @Test
    void flinksOwnKeysWinWhereTheUserSetThem() {
        Configuration conf = new Configuration();
        conf.set(ExecutionOptions.BUFFER_TIMEOUT, Duration.ofMillis(100));
        conf.set(PipelineOptions.AUTO_WATERMARK_INTERVAL, Duration.ofMillis(500));
        StreamExecutionEnvironment env = wired(conf);
        assertThat(env.getBufferTimeout()).isEqualTo(100);
        assertThat(env.getConfig().getAutoWatermarkInterval()).isEqualTo(500);
    }
}
