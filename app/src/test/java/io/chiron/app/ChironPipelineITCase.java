package io.chiron.app;

import io.chiron.app.replay.Recording;
import io.chiron.app.replay.Replay;
import io.chiron.fleet.workload.Scenario;
import io.chiron.jobs.ChironJob;
import io.chiron.policy.ChironConfig;
import io.chiron.records.AvroTrust;
import io.chiron.records.InstanceHeartbeat;
import io.chiron.records.RequestEvent;
import io.chiron.records.ScalingDecision;

import org.apache.flink.api.common.eventtime.WatermarkStrategy;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.PipelineOptions;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.runtime.testutils.MiniClusterResourceConfiguration;
import org.apache.flink.streaming.api.datastream.DataStream;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.apache.flink.util.CloseableIterator;

import org.apache.avro.specific.SpecificRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The job's pipeline ({@link ChironJob#build}, the same method production wires to Kafka) on
 * bounded in-memory telemetry with a collecting sink, as flink-training tests its jobs: ten minutes
 * of a simulated fleet's telemetry make the same decisions as the direct path.
 */
class ChironPipelineITCase {
    @RegisterExtension
    static final MiniClusterExtension FLINK =
            new MiniClusterExtension(
                    new MiniClusterResourceConfiguration.Builder()
                            .setNumberTaskManagers(1)
                            .setNumberSlotsPerTaskManager(1)
                            .build());

    @Test
    void theJobOnBoundedTelemetryDecidesAsTheDirectPath() throws Exception {
        AvroTrust.install();
        Recording recording =
                Recording.of("azure-conv", Scenario.MIXED, 5, Duration.ofMinutes(10), 1);
        List<RequestEvent> requests = new ArrayList<>();
        List<InstanceHeartbeat> heartbeats = new ArrayList<>();
        for (SpecificRecord r : recording.records()) {
            if (r instanceof RequestEvent e) {
                requests.add(e);
            } else {
                heartbeats.add((InstanceHeartbeat) r);
            }
        }
        Configuration conf = new Configuration();
        conf.set(PipelineOptions.GENERIC_TYPES, false); // no Kryo anywhere in the pipeline
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(conf);
        env.setParallelism(1);
        DataStream<RequestEvent> r =
                env.fromData(requests, new AvroTypeInfo<>(RequestEvent.class))
                        .assignTimestampsAndWatermarks(
                                WatermarkStrategy.<RequestEvent>forBoundedOutOfOrderness(
                                                Duration.ofSeconds(2))
                                        .withTimestampAssigner((e, p) -> e.getTsMs()));
        DataStream<InstanceHeartbeat> h =
                env.fromData(heartbeats, new AvroTypeInfo<>(InstanceHeartbeat.class))
                        .assignTimestampsAndWatermarks(
                                WatermarkStrategy.<InstanceHeartbeat>forBoundedOutOfOrderness(
                                                Duration.ofSeconds(2))
                                        .withTimestampAssigner((e, p) -> e.getTsMs()));
        ChironConfig policy = ChironConfig.defaults();
        ChironJob.Streams streams = ChironJob.build(r, h, new Configuration(), policy);
        List<ScalingDecision> decisions = new ArrayList<>();
        try (CloseableIterator<ScalingDecision> it =
                streams.decisions().executeAndCollect("chiron pipeline on bounded telemetry")) {
            it.forEachRemaining(decisions::add);
        }
        List<ScalingDecision> direct = Replay.direct(recording, policy);
        // Both local and global decisions, and the same ones as the policy called directly.
        assertThat(decisions).isNotEmpty().hasSameSizeAs(direct);
        assertThat(decisions).anyMatch(d -> d.getInstanceId() != null);
        assertThat(decisions).anyMatch(d -> d.getRole() != null);
        assertThat(Replay.digest(decisions)).isEqualTo(Replay.digest(direct));
    }
}
