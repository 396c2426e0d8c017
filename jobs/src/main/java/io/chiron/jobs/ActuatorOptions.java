package io.chiron.jobs;

import io.chiron.actuator.ActuatorConfig;
import io.chiron.actuator.ActuatorConfig.Backend;
import io.chiron.policy.ChironConfig;

import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.configuration.ConfigOptions;
import org.apache.flink.configuration.Configuration;

import java.time.Duration;

/** Typed options of the actuator: the guard's limits and the backends. */
public final class ActuatorOptions {
    private ActuatorOptions() {}

    public static final ConfigOption<Backend> REPLICAS_BACKEND =
            ConfigOptions.key("chiron.actuator.backend.replicas")
                    .enumType(Backend.class)
                    .defaultValue(Backend.KAFKA)
                    .withDescription(
                            "Where SET_REPLICAS goes: KAFKA (the command topic), KUBERNETES (a scale subresource), HTTP (a webhook) or NONE.");

    public static final ConfigOption<Backend> BATCH_SIZE_BACKEND =
            ConfigOptions.key("chiron.actuator.backend.batch-size")
                    .enumType(Backend.class)
                    .defaultValue(Backend.KAFKA)
                    .withDescription(
                            "Where SET_BATCH_SIZE goes: KAFKA, HTTP or NONE (Kubernetes has no batch size).");

    public static final ConfigOption<Integer> MIN_REPLICAS =
            ConfigOptions.key("chiron.actuator.min-replicas")
                    .intType()
                    .defaultValue(0)
                    .withDescription("Fewest instances any role may be set to.");

    public static final ConfigOption<Integer> MAX_REPLICAS =
            ConfigOptions.key("chiron.actuator.max-replicas")
                    .intType()
                    .defaultValue(64)
                    .withDescription("Most instances any role may be set to.");

    public static final ConfigOption<Integer> MAX_STEP =
            ConfigOptions.key("chiron.actuator.max-step")
                    .intType()
                    .defaultValue(16)
                    .withDescription(
                            "Largest change of a role's instance count in one action; larger steps are cut to it.");

    public static final ConfigOption<Integer> MAX_ACTIONS_PER_MINUTE =
            ConfigOptions.key("chiron.actuator.max-actions-per-minute")
                    .intType()
                    .defaultValue(30)
                    .withDescription(
                            "Replica actions per pool within a minute of event time, at most; more are rejected.");

    public static final ConfigOption<Duration> COOLDOWN =
            ConfigOptions.key("chiron.actuator.cooldown")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(30))
                    .withDescription(
                            "No reversal of a role's count (in after out, or out after in) within this long.");

    public static final ConfigOption<Duration> MAX_AGE =
            ConfigOptions.key("chiron.actuator.max-age")
                    .durationType()
                    .defaultValue(Duration.ofMinutes(2))
                    .withDescription(
                            "A decision more than this far behind the actuator's event-time watermark is dropped as stale.");

    public static final ConfigOption<String> KILL_SWITCH_FILE =
            ConfigOptions.key("chiron.actuator.kill-switch-file")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "While this file exists every decision is rejected (and recorded as such).");

    public static final ConfigOption<String> K8S_NAMESPACE =
            ConfigOptions.key("chiron.actuator.kubernetes.namespace")
                    .stringType()
                    .defaultValue("default")
                    .withDescription("Namespace of the scaled resources.");

    public static final ConfigOption<String> K8S_API_VERSION =
            ConfigOptions.key("chiron.actuator.kubernetes.api-version")
                    .stringType()
                    .defaultValue("apps/v1")
                    .withDescription(
                            "API version of the scaled resources (apps/v1, leaderworkerset.x-k8s.io/v1).");

    public static final ConfigOption<String> K8S_KIND =
            ConfigOptions.key("chiron.actuator.kubernetes.kind")
                    .stringType()
                    .defaultValue("Deployment")
                    .withDescription(
                            "Kind of the scaled resources: Deployment, StatefulSet, LeaderWorkerSet or any with a scale subresource.");

    public static final ConfigOption<String> K8S_NAME_TEMPLATE =
            ConfigOptions.key("chiron.actuator.kubernetes.name-template")
                    .stringType()
                    .defaultValue("{model}-{role}")
                    .withDescription(
                            "Name of a pool role's resource; {model} and {role} (lower case) are replaced.");

    public static final ConfigOption<String> K8S_MASTER_URL =
            ConfigOptions.key("chiron.actuator.kubernetes.master-url")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "API server; by default the in-cluster service account or ~/.kube/config.");

    public static final ConfigOption<Boolean> K8S_TRUST_CERTS =
            ConfigOptions.key("chiron.actuator.kubernetes.trust-certs")
                    .booleanType()
                    .defaultValue(false)
                    .withDescription("Trust any API server certificate: for test clusters only.");

    public static final ConfigOption<String> HTTP_URL =
            ConfigOptions.key("chiron.actuator.http.url")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Webhook the HTTP backend posts commands to (JSON, with an Idempotency-Key header).");

    public static final ConfigOption<String> HTTP_AUTH_HEADER =
            ConfigOptions.key("chiron.actuator.http.auth-header")
                    .stringType()
                    .defaultValue("Authorization")
                    .withDescription("Header that carries the webhook credential.");

    public static final ConfigOption<String> HTTP_AUTH_ENV =
            ConfigOptions.key("chiron.actuator.http.auth-env")
                    .stringType()
                    .noDefaultValue()
                    .withDescription("Environment variable holding the credential (never logged).");

    public static final ConfigOption<String> HTTP_AUTH_FILE =
            ConfigOptions.key("chiron.actuator.http.auth-file")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "File holding the credential, e.g. a mounted secret (never logged).");

    public static final ConfigOption<String> HTTP_SIGNING_ENV =
            ConfigOptions.key("chiron.actuator.http.signing-secret-env")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "Environment variable holding the secret each body is signed with:"
                                    + " X-Chiron-Signature: sha256=HMAC(secret, timestamp + '.' +"
                                    + " body), with X-Chiron-Timestamp (never logged).");

    public static final ConfigOption<String> HTTP_SIGNING_FILE =
            ConfigOptions.key("chiron.actuator.http.signing-secret-file")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "File holding the signing secret, e.g. a mounted secret (never"
                                    + " logged).");

    public static final ConfigOption<String> HTTP_CA_FILE =
            ConfigOptions.key("chiron.actuator.http.ca-file")
                    .stringType()
                    .noDefaultValue()
                    .withDescription(
                            "PEM file of the certificate authorities to trust for an https URL;"
                                    + " by default the JVM's trust store.");

    public static final ConfigOption<Duration> HTTP_TIMEOUT =
            ConfigOptions.key("chiron.actuator.http.timeout")
                    .durationType()
                    .defaultValue(Duration.ofSeconds(10))
                    .withDescription("Timeout of one webhook request.");

    public static final ConfigOption<Integer> HTTP_ATTEMPTS =
            ConfigOptions.key("chiron.actuator.http.attempts")
                    .intType()
                    .defaultValue(5)
                    .withDescription(
                            "Attempts per command, with exponential backoff and jitter between them.");

    /** The actuator's configuration from the job's options. */
    public static ActuatorConfig from(Configuration conf, ChironConfig policy) {
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
