package io.chiron.jobs;

import io.chiron.actuator.ActuatorConfig;
import io.chiron.actuator.ActuatorConfig.Backend;
import io.chiron.core.Setting;
import io.chiron.policy.ChironConfig;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.Configuration;

import java.time.Duration;

/** Typed options of the actuator: the guard's limits and the backends. */
public final class ActuatorOptions {
    private ActuatorOptions() {}

    /** Declared first: every option below registers its setting here. */
    static final FlinkSettings OPTIONS = new FlinkSettings();

    public static final ConfigOption<Backend> REPLICAS_BACKEND =
            OPTIONS.add(
                    Setting.of(
                            "chiron.actuator.backend.replicas",
                            Backend.class,
                            Backend.KAFKA,
                            "Where SET_REPLICAS goes: KAFKA (the command topic), KUBERNETES (a scale subresource), HTTP (a webhook) or NONE."));

    public static final ConfigOption<Backend> BATCH_SIZE_BACKEND =
            OPTIONS.add(
                    Setting.of(
                            "chiron.actuator.backend.batch-size",
                            Backend.class,
                            Backend.KAFKA,
                            "Where SET_BATCH_SIZE goes: KAFKA, HTTP or NONE (Kubernetes has no batch size)."));

    public static final ConfigOption<Integer> MIN_REPLICAS =
            OPTIONS.add(
                    Setting.integer(
                                    "chiron.actuator.min-replicas",
                                    0,
                                    "Fewest instances any role may be set to.")
                            .between(0, 100_000));

    public static final ConfigOption<Integer> MAX_REPLICAS =
            OPTIONS.add(
                    Setting.integer(
                                    "chiron.actuator.max-replicas",
                                    64,
                                    "Most instances any role may be set to.")
                            .between(1, 100_000));

    public static final ConfigOption<Integer> MAX_STEP =
            OPTIONS.add(
                    Setting.integer(
                                    "chiron.actuator.max-step",
                                    16,
                                    "Largest change of a role's instance count in one action; larger steps are cut to it.")
                            .between(1, 100_000));

    public static final ConfigOption<Integer> MAX_ACTIONS_PER_MINUTE =
            OPTIONS.add(
                    Setting.integer(
                                    "chiron.actuator.max-actions-per-minute",
                                    30,
                                    "Replica actions per pool within a minute of event time, at most; more are rejected.")
                            .between(1, 10_000));

    public static final ConfigOption<Duration> COOLDOWN =
            OPTIONS.add(
                    Setting.duration(
                                    "chiron.actuator.cooldown",
                                    Duration.ofSeconds(30),
                                    "No reversal of a role's count (in after out, or out after in) within this long.")
                            .between(0, 86_400_000));

    public static final ConfigOption<Duration> MAX_AGE =
            OPTIONS.add(
                    Setting.duration(
                                    "chiron.actuator.max-age",
                                    Duration.ofMinutes(2),
                                    "A decision more than this far behind the actuator's event-time watermark is dropped as stale.")
                            .between(0, 86_400_000)
                            .excluding(true, false));

    public static final ConfigOption<String> KILL_SWITCH_FILE =
            OPTIONS.add(
                    Setting.text(
                            "chiron.actuator.kill-switch-file",
                            null,
                            "While this file exists every decision is rejected (and recorded as such)."));

    public static final ConfigOption<String> K8S_NAMESPACE =
            OPTIONS.add(
                    Setting.text(
                            "chiron.actuator.kubernetes.namespace",
                            "default",
                            "Namespace of the scaled resources."));

    public static final ConfigOption<String> K8S_API_VERSION =
            OPTIONS.add(
                    Setting.text(
                            "chiron.actuator.kubernetes.api-version",
                            "apps/v1",
                            "API version of the scaled resources (apps/v1, leaderworkerset.x-k8s.io/v1)."));

    public static final ConfigOption<String> K8S_KIND =
            OPTIONS.add(
                    Setting.text(
                            "chiron.actuator.kubernetes.kind",
                            "Deployment",
                            "Kind of the scaled resources: Deployment, StatefulSet, LeaderWorkerSet or any with a scale subresource."));

    public static final ConfigOption<String> K8S_NAME_TEMPLATE =
            OPTIONS.add(
                    Setting.text(
                            "chiron.actuator.kubernetes.name-template",
                            "{model}-{role}",
                            "Name of a pool role's resource; {model} and {role} (lower case) are replaced."));

    public static final ConfigOption<String> K8S_MASTER_URL =
            OPTIONS.add(
                    Setting.text(
                            "chiron.actuator.kubernetes.master-url",
                            null,
                            "API server; by default the in-cluster service account or ~/.kube/config."));

    public static final ConfigOption<Boolean> K8S_TRUST_CERTS =
            OPTIONS.add(
                    Setting.flag(
                            "chiron.actuator.kubernetes.trust-certs",
                            false,
                            "Trust any API server certificate: for test clusters only."));

    public static final ConfigOption<String> HTTP_URL =
            OPTIONS.add(
                    Setting.text(
                            "chiron.actuator.http.url",
                            null,
                            "Webhook the HTTP backend posts commands to (JSON, with an Idempotency-Key header)."));

    public static final ConfigOption<String> HTTP_AUTH_HEADER =
            OPTIONS.add(
                    Setting.text(
                            "chiron.actuator.http.auth-header",
                            "Authorization",
                            "Header that carries the webhook credential."));

    public static final ConfigOption<String> HTTP_AUTH_ENV =
            OPTIONS.add(
                    Setting.text(
                            "chiron.actuator.http.auth-env",
                            null,
                            "Environment variable holding the credential (never logged)."));

    public static final ConfigOption<String> HTTP_AUTH_FILE =
            OPTIONS.add(
                    Setting.text(
                            "chiron.actuator.http.auth-file",
                            null,
                            "File holding the credential, e.g. a mounted secret (never logged)."));

    public static final ConfigOption<String> HTTP_SIGNING_ENV =
            OPTIONS.add(
                    Setting.text(
                            "chiron.actuator.http.signing-secret-env",
                            null,
                            "Environment variable holding the secret each body is signed with:"
                                    + " X-Chiron-Signature: sha256=HMAC(secret, timestamp + '.' +"
                                    + " body), with X-Chiron-Timestamp (never logged)."));

    public static final ConfigOption<String> HTTP_SIGNING_FILE =
            OPTIONS.add(
                    Setting.text(
                            "chiron.actuator.http.signing-secret-file",
                            null,
                            "File holding the signing secret, e.g. a mounted secret (never"
                                    + " logged)."));

    public static final ConfigOption<String> HTTP_CA_FILE =
            OPTIONS.add(
                    Setting.text(
                            "chiron.actuator.http.ca-file",
                            null,
                            "PEM file of the certificate authorities to trust for an https URL;"
                                    + " by default the JVM's trust store."));

    public static final ConfigOption<Duration> HTTP_TIMEOUT =
            OPTIONS.add(
                    Setting.duration(
                                    "chiron.actuator.http.timeout",
                                    Duration.ofSeconds(10),
                                    "Timeout of one webhook request.")
                            .between(0, 3_600_000)
                            .excluding(true, false));

    public static final ConfigOption<Integer> HTTP_ATTEMPTS =
            OPTIONS.add(
                    Setting.integer(
                                    "chiron.actuator.http.attempts",
                                    5,
                                    "Attempts per command, with exponential backoff and jitter between them.")
                            .between(1, 100));

    /** The actuator's configuration from the job's options. */
    public static ActuatorConfig from(Configuration conf, ChironConfig policy) {
        OPTIONS.check(conf);
        ActuatorConfig c = new ActuatorConfig();
        c.replicas = conf.get(REPLICAS_BACKEND);
        c.batchSize = conf.get(BATCH_SIZE_BACKEND);
        c.guard.dryRun = conf.get(JobOptions.DRY_RUN);
        c.guard.withAllRoles(
                conf.get(MIN_REPLICAS), Math.min(conf.get(MAX_REPLICAS), policy.maxInstances));
        c.guard.maxStep = conf.get(MAX_STEP);
        c.guard.maxActionsPerMinute = conf.get(MAX_ACTIONS_PER_MINUTE);
        c.guard.cooldown = conf.get(COOLDOWN);
        c.guard.maxAge = conf.get(MAX_AGE);
        c.guard.killSwitchFile = conf.getOptional(KILL_SWITCH_FILE).orElse(null);
        c.kubernetes.namespace = conf.get(K8S_NAMESPACE);
        c.kubernetes.apiVersion = conf.get(K8S_API_VERSION);
        c.kubernetes.kind = conf.get(K8S_KIND);
        c.kubernetes.nameTemplate = conf.get(K8S_NAME_TEMPLATE);
        c.kubernetes.masterUrl = conf.getOptional(K8S_MASTER_URL).orElse(null);
        c.kubernetes.trustCerts = conf.get(K8S_TRUST_CERTS);
        c.webhook.url = conf.getOptional(HTTP_URL).orElse(null);
        c.webhook.authHeader = conf.get(HTTP_AUTH_HEADER);
        c.webhook.authEnv = conf.getOptional(HTTP_AUTH_ENV).orElse(null);
        c.webhook.authFile = conf.getOptional(HTTP_AUTH_FILE).orElse(null);
        c.webhook.caFile = conf.getOptional(HTTP_CA_FILE).orElse(null);
        c.webhook.signingSecretEnv = conf.getOptional(HTTP_SIGNING_ENV).orElse(null);
        c.webhook.signingSecretFile = conf.getOptional(HTTP_SIGNING_FILE).orElse(null);
        c.webhook.requestTimeout = conf.get(HTTP_TIMEOUT);
        c.webhook.attempts = conf.get(HTTP_ATTEMPTS);
        return c.validate();
    }
}
