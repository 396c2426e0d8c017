package io.chiron.app.chaos;

import io.chiron.records.ActuationResult;
import io.chiron.records.ScalingDecision;

import org.apache.flink.configuration.Configuration;

import org.apache.avro.specific.SpecificRecord;

import java.util.List;

/**
 * One scenario of the campaign: bad records sent among the valid telemetry, and an action on the
 * environment while the job runs (a broker stopped, a TaskManager killed).
 */
public interface Fault {

    /** A record sent as is: raw key and value bytes, and the Kafka timestamp to give it. */
    record Injection(Injector.Target topic, byte[] key, byte[] value, long kafkaTs) {
        /** The same record with another Kafka timestamp. */
        public Injection at(long ts) {
            return new Injection(topic, key, value, ts);
        }

        /** The same record without a key. */
        public Injection withoutKey() {
            return new Injection(topic, null, value, kafkaTs);
        }
    }

    /** Short name, used by {@code --only}. */
    String name();

    /** One line on what it does. */
    String description();

    /**
     * The bad (or hostile but valid) records, sent among the valid ones.
     *
     * @param injector what the telemetry looks like, to build records that blend in
     */
    default List<Injection> injections(Injector injector) {
        return List.of();
    }

    /** Whether the injections are all invalid (each must be a dead letter) or valid load. */
    default boolean injectionsAreInvalid() {
        return true;
    }

    /**
     * Whether the injections spread over the whole telemetry (bad records, whose times do not
     * matter) or all go at its middle, where their event times belong (valid load).
     */
    default boolean spread() {
        return injectionsAreInvalid();
    }

    /**
     * Whether a valid record of the second half is sent (a fault may withhold some: an agent down).
     */
    default boolean sendsInSecondHalf(SpecificRecord r) {
        return true;
    }

    /**
     * Whether the run must make the clean run's decisions; false where the fault changes the
     * telemetry itself, and {@link #judge} says whether the job behaved.
     */
    default boolean comparesWithClean() {
        return true;
    }

    /**
     * Why the run failed, or null: for a fault that does not compare with the clean run.
     *
     * @param actuations this run's actuation outcomes
     * @param decisions this run's decisions
     * @param faultFromMs event time from which the fault applies
     */
    default String judge(
            List<ScalingDecision> decisions, List<ActuationResult> actuations, long faultFromMs) {
        return null;
    }

    /** Actuation backends a fault may point the job at. */
    record Backends(String webhookUrl, String kubernetesUrl, String kubernetesNamespace) {}

    /** Job options of the run on top of the campaign's (dry-run actuation by default). */
    default void configure(Configuration conf, Backends backends) {}

    /** Done before any telemetry is sent (a fault already on when the run starts). */
    default void before(Environment env) throws Exception {}

    /** Done once half the telemetry was sent and the job has made its first decisions. */
    default void during(Environment env) throws Exception {}

    /** What a fault may act on. */
    interface Environment {
        void stopBroker();

        void restartBroker();

        void replaceTaskManager() throws Exception;

        /** Closes the webhook receiver's port: connections are refused. */
        void stopWebhook();

        /** Opens it again. */
        void restartWebhook();

        /** The Kubernetes API answers every request with 500 ... */
        void kubernetesDown();

        /** ... until this. */
        void kubernetesUp();

        void sleep(java.time.Duration d) throws InterruptedException;

        void say(String line);
    }
}
