package io.chiron.jobs.functions;

import io.chiron.jobs.records.PoolInput;
import io.chiron.jobs.records.Telemetry;
import io.chiron.records.DeadLetter;
import io.chiron.records.RequestClass;
import io.chiron.records.RequestEvent;
import io.chiron.records.RequestEventType;

import org.apache.flink.streaming.util.ProcessFunctionTestHarnesses;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class LateRecordsTest {

    private static RequestEvent request(String instance) {
        return RequestEvent.newBuilder()
                .setType(RequestEventType.FINISHED)
                .setRequestId("r")
                .setModel("m")
                .setRequestClass(RequestClass.INTERACTIVE)
                .setInstanceId(instance)
                .setTsMs(1_000)
                .setArrivalTsMs(500)
                .setSloTtftMs(2_000)
                .setSloItlMs(50)
                .setPromptTokens(10)
                .setOutputTokens(5)
                .setQueueWaitMs(0)
                .setPreemptions(0)
                .build();
    }

    @Test
    void aLateRequestEventIsOneDeadLetterThoughBothPathsSawItLate() throws Exception {
        var telemetry =
                ProcessFunctionTestHarnesses.forProcessFunction(
                        new LateRecords<Telemetry>("telemetry"));
        var pool =
                ProcessFunctionTestHarnesses.forProcessFunction(
                        new LateRecords<PoolInput>("pool input"));
        RequestEvent onInstance = request("i");
        RequestEvent queued = request(null); // never reached an instance: only the pool saw it
        telemetry.processElement(Telemetry.of(onInstance), 1_000);
        pool.processElement(PoolInput.of(onInstance), 1_000);
        pool.processElement(PoolInput.of(queued), 1_000);

        assertThat(telemetry.extractOutputValues()).hasSize(1);
        // The pool path dead-letters only the event the telemetry path could not see.
        assertThat(pool.extractOutputValues())
                .singleElement()
                .extracting(DeadLetter::getSourceTopic)
                .isEqualTo("pool input");
    }
}
