package io.chiron.app.chaos;

import io.chiron.actuator.ActuatorConfig;
import io.chiron.jobs.ActuatorOptions;
import io.chiron.jobs.JobOptions;
import io.chiron.records.ActuationResult;
import io.chiron.records.ActuationStatus;
import io.chiron.records.DecisionAction;
import io.chiron.records.InstanceHeartbeat;
import io.chiron.records.InstanceRole;
import io.chiron.records.RequestClass;
import io.chiron.records.RequestEventType;
import io.chiron.records.ScalingDecision;

import org.apache.flink.configuration.Configuration;

import org.apache.avro.specific.SpecificRecord;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The scenarios of {@code chiron chaos}, in the order they run. */
public final class Faults {
    private Faults() {}

    /** Copies of each malformed kind sent by {@link #malformed()}: 18 kinds, 10,080 records. */
    static final int COPIES = 560;

    static final long HOUR = Duration.ofHours(1).toMillis();

    /** Every scenario; the broker outage of 12 minutes last (it is the long one). */
    public static List<Fault> all() {
        return List.of(
                malformed(),
                poison(
                        "poison-long-id",
                        "one request event with a 1 MB instance id (issue 18, point 2)",
                        i ->
                                i.request(i.request().setInstanceId("x".repeat(1_000_000)).build())
                                        .withoutKey()),
                poison(
                        "poison-kafka-ts-0",
                        "one request event an hour ahead with a Kafka timestamp of 0 (point 4)",
                        i -> i.request(i.request().setTsMs(i.middleTs() + HOUR).build()).at(0)),
                poison(
                        "poison-clock-ahead",
                        "one request event from a producer whose clock is an hour ahead",
                        i ->
                                i.request(i.request().setTsMs(i.middleTs() + HOUR).build())
                                        .at(i.middleTs() + HOUR)),
                groupFlood(),
                taskManagerLoss(),
                staleHalf(),
                backendDown(Backend.WEBHOOK, Duration.ofMinutes(2)),
                backendDown(Backend.KUBERNETES, Duration.ofMinutes(2)),
                brokerOutage(Duration.ofSeconds(30)),
                brokerOutage(Duration.ofMinutes(12)));
    }

    /** Eighteen kinds of record no serving instance sends, {@link #COPIES} of each. */
    static Fault malformed() {
        return new Fault() {
            @Override
            public String name() {
                return "malformed";
            }

            @Override
            public String description() {
                return "18 kinds of malformed or absurd record, " + 18 * COPIES + " in all";
            }

            @Override
            public List<Injection> injections(Injector i) {
                Random random = new Random(18);
                List<Injection> out = new ArrayList<>();
                for (int c = 0; c < COPIES; c++) {
                    byte[] noise = new byte[1 + random.nextInt(200)];
                    random.nextBytes(noise);
                    var req = Injector.Target.REQUESTS;
                    out.add(i.raw(req, noise));
                    out.add(i.raw(req, new byte[0]));
                    out.add(i.raw(Injector.Target.HEARTBEATS, null));
                    out.add(i.raw(req, i.truncated()));
                    out.add(i.raw(req, i.trailing()));
                    out.add(i.raw(req, Injector.hugeLengthPrefix()));
                    out.add(i.raw(req, i.wrongType()));
                    out.add(i.request(i.request().setPromptTokens(-7).build()));
                    out.add(i.request(i.request().setItlMeanMs(Double.NaN).build()));
                    out.add(i.request(i.request().setItlMeanMs(Double.POSITIVE_INFINITY).build()));
                    out.add(i.request(i.request().setTtftMs(Long.MAX_VALUE).build()));
                    out.add(i.request(i.request().setRequestId("").build()));
                    out.add(i.request(i.request().setModel("m".repeat(1_000)).build()));
                    out.add(i.request(i.request().setTsMs(i.middleTs() + 48 * HOUR).build()));
                    out.add(i.heartbeat(i.heartbeat().setItlMeanMs(1e300).build()));
                    out.add(i.heartbeat(i.heartbeat().setRunning(-1).build()));
                    out.add(i.heartbeat(i.heartbeat().setTsMs(0).build()));
                    out.add(i.heartbeat(i.heartbeat().setInstanceId("i".repeat(70_000)).build()));
                }
                return out;
            }
        };
    }

    static Fault poison(String name, String description, Function<Injector, Fault.Injection> r) {
        return new Fault() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String description() {
                return description;
            }

            @Override
            public List<Injection> injections(Injector i) {
                return List.of(r.apply(i));
            }
        };
    }

    /** 80,000 batch requests of another model, each with its own deadline bucket (point 3). */
    static Fault groupFlood() {
        return new Fault() {
            @Override
            public String name() {
                return "group-flood";
            }

            @Override
            public String description() {
                return "80,000 valid batch requests of one model, 80,000 distinct deadlines"
                        + " (point 3)";
            }

            @Override
            public boolean injectionsAreInvalid() {
                return false;
            }

            @Override
            public List<Injection> injections(Injector i) {
                List<Injection> out = new ArrayList<>();
                for (int n = 0; n < 80_000; n++) {
                    out.add(
                            i.request(
                                    i.request()
                                            .setType(RequestEventType.ARRIVED)
                                            .setRequestClass(RequestClass.BATCH)
                                            .setRequestId("flood-" + n)
                                            .setModel("flood")
                                            .setInstanceId(null)
                                            .setInstanceRole(null)
                                            .setTtftMs(null)
                                            .setItlMeanMs(null)
                                            .setSloMet(null)
                                            .setDeadlineTsMs(i.middleTs() + (n + 1) * 60_000L)
                                            .build()));
                }
                return out;
            }
        };
    }

    /**
     * Heartbeats of half the fleet stop for the second half (their agents down, their requests
     * still reported): the autoscaler must hold, never scale in on it.
     */
    static Fault staleHalf() {
        return new Fault() {
            @Override
            public String name() {
                return "stale-half";
            }

            @Override
            public String description() {
                return "heartbeats of half the instances stop for the second half: no scale-in"
                        + " may be applied";
            }

            @Override
            public boolean sendsInSecondHalf(SpecificRecord r) {
                return !(r instanceof InstanceHeartbeat h)
                        || Math.floorMod(h.getInstanceId().hashCode(), 2) != 0;
            }

            @Override
            public boolean comparesWithClean() {
                return false;
            }

            @Override
            public String judge(
                    List<ScalingDecision> decisions,
                    List<ActuationResult> actuations,
                    long faultFromMs) {
                Map<String, ScalingDecision> byId = new HashMap<>();
                decisions.forEach(d -> byId.put(d.getDecisionId(), d));
                long applied =
                        actuations.stream()
                                .filter(a -> a.getStatus() != ActuationStatus.REJECTED)
                                .map(a -> byId.get(a.getDecisionId()))
                                .filter(
                                        d ->
                                                d != null
                                                        && d.getTsMs() >= faultFromMs
                                                        && d.getAction()
                                                                == DecisionAction.SET_REPLICAS
                                                        && d.getRole() != InstanceRole.BATCH
                                                        && d.getTarget() < d.getPrevious())
                                .count();
                return applied == 0
                        ? null
                        : applied + " scale-in(s) let through on stale telemetry";
            }
        };
    }

    /** The actuation backends a fault can take down. */
    enum Backend {
        WEBHOOK("webhook", "http", "refuses connections"),
        KUBERNETES("kubernetes", "kubernetes", "answers 500");

        final String name;
        final String resultBackend;
        final String how;

        Backend(String name, String resultBackend, String how) {
            this.name = name;
            this.resultBackend = resultBackend;
            this.how = how;
        }
    }

    /**
     * The actuator's replica commands go to a webhook or the Kubernetes API, which fails for the
     * first half of the telemetry and {@code outage} more: commands in that time fail after their
     * retries and are recorded FAILED, once each; the job goes on, and commands are delivered again
     * once the backend is back.
     */
    static Fault backendDown(Backend backend, Duration outage) {
        return new Fault() {
            @Override
            public String name() {
                return backend.name + "-down-" + outage.toMinutes() + "min";
            }

            @Override
            public String description() {
                return "the actuator's "
                        + backend.name
                        + " "
                        + backend.how
                        + " for the first half and "
                        + outage.toMinutes()
                        + " min more";
            }

            @Override
            public void configure(Configuration conf, Backends b) {
                conf.set(JobOptions.DRY_RUN, false);
                conf.set(ActuatorOptions.BATCH_SIZE_BACKEND, ActuatorConfig.Backend.KAFKA);
                if (backend == Backend.WEBHOOK) {
                    conf.set(ActuatorOptions.REPLICAS_BACKEND, ActuatorConfig.Backend.HTTP);
                    conf.set(ActuatorOptions.HTTP_URL, b.webhookUrl());
                    conf.set(ActuatorOptions.HTTP_TIMEOUT, Duration.ofSeconds(2));
                } else {
                    conf.set(ActuatorOptions.REPLICAS_BACKEND, ActuatorConfig.Backend.KUBERNETES);
                    conf.set(ActuatorOptions.K8S_MASTER_URL, b.kubernetesUrl());
                    conf.set(ActuatorOptions.K8S_NAMESPACE, b.kubernetesNamespace());
                    conf.set(ActuatorOptions.K8S_TRUST_CERTS, true);
                }
            }

            @Override
            public void before(Environment env) {
                // From the start: the first half's commands are sent as the job decides, before
                // any of its decisions is committed.
                if (backend == Backend.WEBHOOK) {
                    env.stopWebhook();
                } else {
                    env.kubernetesDown();
                }
                env.say(
                        backend.name
                                + " "
                                + backend.how
                                + " (then "
                                + outage.toMinutes()
                                + " min more)");
            }

            @Override
            public void during(Environment env) throws InterruptedException {
                env.sleep(outage);
                if (backend == Backend.WEBHOOK) {
                    env.restartWebhook();
                } else {
                    env.kubernetesUp();
                }
                env.say(backend.name + " back");
            }

            @Override
            public String judge(
                    List<ScalingDecision> decisions,
                    List<ActuationResult> actuations,
                    long faultFromMs) {
                Map<ActuationStatus, Long> by =
                        actuations.stream()
                                .filter(a -> a.getBackend().equals(backend.resultBackend))
                                .collect(
                                        Collectors.groupingBy(
                                                ActuationResult::getStatus, Collectors.counting()));
                if (by.getOrDefault(ActuationStatus.FAILED, 0L) == 0) {
                    return "no command met the outage (nothing FAILED): the fault was not seen; "
                            + by;
                }
                if (by.getOrDefault(ActuationStatus.APPLIED, 0L) == 0) {
                    return "no command was delivered after the " + backend.name + " came back";
                }
                return null;
            }
        };
    }

    static Fault taskManagerLoss() {
        return new Fault() {
            @Override
            public String name() {
                return "taskmanager-lost";
            }

            @Override
            public String description() {
                return "the TaskManager killed mid-run and a new one started";
            }

            @Override
            public void during(Environment env) throws Exception {
                env.replaceTaskManager();
            }
        };
    }

    static Fault brokerOutage(Duration outage) {
        String length =
                outage.toMinutes() > 0 ? outage.toMinutes() + "min" : outage.toSeconds() + "s";
        return new Fault() {
            @Override
            public String name() {
                return "broker-stop-" + length;
            }

            @Override
            public String description() {
                return "the Kafka broker stopped for " + length + " mid-run, then started again";
            }

            @Override
            public void during(Environment env) throws InterruptedException {
                env.stopBroker();
                env.say("broker stopped for " + length);
                env.sleep(outage);
                env.restartBroker();
                env.say("broker back");
            }
        };
    }
}
