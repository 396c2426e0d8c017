package io.chiron.app;

import io.chiron.jobs.OptionsDoc;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The compose stack and the Kubernetes manifests cannot run here (no container engine), so they are
 * checked against the build: pinned images in step with the versions the build uses, every mounted
 * build output present after `package`, the job's main class and every argument given to it a real
 * option, the fleet's command line valid, and the FlinkDeployment's service account the one the
 * actuator's RBAC grants.
 */
class DeploymentFilesITCase {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();
    private static final Path DOCKER = ROOT.resolve("docker");
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());

    private static String pomProperty(String name) throws IOException {
        Matcher m =
                Pattern.compile("<" + Pattern.quote(name) + ">([^<]+)</")
                        .matcher(Files.readString(ROOT.resolve("pom.xml")));
        assertThat(m.find()).as(name).isTrue();
        return m.group(1).trim();
    }

    private static String flinkImage() throws IOException {
        return "flink:" + pomProperty("flink.version") + "-java17";
    }

    private static String projectVersion() throws IOException {
        Matcher m =
                Pattern.compile("<artifactId>chiron-parent</artifactId>\\s*<version>([^<]+)</")
                        .matcher(Files.readString(ROOT.resolve("pom.xml")));
        assertThat(m.find()).isTrue();
        return m.group(1);
    }

    /** Every {@code --chiron.*} key in {@code args} is an option the job knows. */
    private static void assertJobOptions(List<String> args) {
        List<String> keys = args.stream().filter(a -> a.startsWith("--chiron.")).toList();
        assertThat(keys).isNotEmpty();
        for (String key : keys) {
            String k = key.substring(2);
            assertThat(OptionsDoc.registry().has(k)).as("job option %s", k).isTrue();
        }
    }

    @Test
    void composeImagesArePinnedToTheBuildsVersions() throws IOException {
        JsonNode services = YAML.readTree(DOCKER.resolve("compose.yaml").toFile()).get("services");
        List<String> names = new ArrayList<>();
        services.fieldNames().forEachRemaining(names::add);
        assertThat(names)
                .containsExactlyInAnyOrder(
                        "kafka",
                        "jobmanager",
                        "taskmanager",
                        "setup",
                        "fleet",
                        "sql-client",
                        "prometheus",
                        "grafana");
        assertThat(services.get("kafka").get("image").asText())
                .isEqualTo("apache/kafka:" + pomProperty("kafka.version"));
        for (String flink : List.of("jobmanager", "taskmanager", "setup", "fleet", "sql-client")) {
            assertThat(services.get(flink).get("image").asText()).as(flink).isEqualTo(flinkImage());
        }
        assertThat(services.get("kafka").get("ports").get(0).asText()).startsWith("29092:");
        assertThat(services.get("jobmanager").get("ports").get(0).asText()).isEqualTo("8081:8081");
        assertThat(services.get("kafka").get("environment").get("KAFKA_PROCESS_ROLES").asText())
                .isEqualTo("broker,controller");
    }

    @Test
    void prometheusScrapesThePortFlinksReporterServes() throws IOException {
        // Flink's reporter port (docker/flink/config.yaml) is where Prometheus looks for every
        // Flink service, and the FlinkDeployment sets the same reporter and annotates that port.
        JsonNode flink = YAML.readTree(DOCKER.resolve("flink/config.yaml").toFile());
        JsonNode prom = flink.get("metrics").get("reporter").get("prom");
        assertThat(prom.get("factory").get("class").asText())
                .isEqualTo("org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        int port = prom.get("port").asInt();
        JsonNode scrape = YAML.readTree(DOCKER.resolve("grafana/prometheus.yml").toFile());
        List<String> targets = new ArrayList<>();
        scrape.get("scrape_configs")
                .get(0)
                .get("static_configs")
                .get(0)
                .get("targets")
                .forEach(t -> targets.add(t.asText()));
        assertThat(targets).containsExactlyInAnyOrder("jobmanager:" + port, "taskmanager:" + port);
        JsonNode deployment =
                YAML.readTree(DOCKER.resolve("kubernetes/flink-deployment.yaml").toFile());
        assertThat(
                        deployment
                                .get("spec")
                                .get("flinkConfiguration")
                                .get("metrics.reporter.prom.port")
                                .asText())
                .isEqualTo(Integer.toString(port));
        assertThat(
                        deployment
                                .get("spec")
                                .get("podTemplate")
                                .get("metadata")
                                .get("annotations")
                                .get("prometheus.io/port")
                                .asText())
                .isEqualTo(Integer.toString(port));
    }

    @Test
    void everyMountedFileExistsOnceTheProjectIsBuilt() throws IOException {
        JsonNode compose = YAML.readTree(DOCKER.resolve("compose.yaml").toFile());
        List<String> named = new ArrayList<>();
        compose.get("volumes").fieldNames().forEachRemaining(named::add);
        int mounts = 0;
        for (JsonNode service : compose.get("services")) {
            if (service.get("volumes") == null) {
                continue;
            }
            for (JsonNode v : service.get("volumes")) {
                String host = v.asText().split(":")[0];
                if (host.startsWith(".")) {
                    assertThat(DOCKER.resolve(host).normalize()).as(v.asText()).exists();
                    mounts++;
                } else {
                    assertThat(named).as(v.asText()).contains(host);
                }
            }
        }
        assertThat(mounts).isGreaterThanOrEqualTo(10);
        String jobJar = "chiron-jobs-" + projectVersion() + "-job.jar";
        assertThat(Files.readString(DOCKER.resolve("compose.yaml"))).contains(jobJar);
        assertThat(Files.readString(DOCKER.resolve("kubernetes/Dockerfile"))).contains(jobJar);
    }

    @Test
    void theJobJarAndItsArgumentsAreTheJobs() throws Exception {
        Path jar = ROOT.resolve("jobs/target/chiron-jobs-" + projectVersion() + "-job.jar");
        try (JarFile j = new JarFile(jar.toFile())) {
            assertThat(j.getManifest().getMainAttributes().getValue("Main-Class"))
                    .isEqualTo("io.chiron.jobs.ChironJob");
        }
        String setup = Files.readString(DOCKER.resolve("setup.sh"));
        assertThat(setup).contains("flink run -d /opt/chiron/chiron-jobs.jar");
        assertThat(setup).contains("chiron.jar topics --bootstrap-servers");
        assertJobOptions(List.of(setup.split("\\s+")));
        JsonNode setupService =
                YAML.readTree(DOCKER.resolve("compose.yaml").toFile()).at("/services/setup");
        assertThat(setupService.get("volumes").toString())
                .contains(":/opt/chiron/chiron-jobs.jar:ro");
    }

    @Test
    void theFleetServicesCommandLineParses() throws IOException {
        JsonNode entrypoint =
                YAML.readTree(DOCKER.resolve("compose.yaml").toFile())
                        .at("/services/fleet/entrypoint");
        List<String> args = new ArrayList<>();
        entrypoint.forEach(a -> args.add(a.asText()));
        int jar = args.indexOf("/opt/chiron/chiron.jar");
        List<String> chironArgs = args.subList(jar + 1, args.size());
        assertThat(chironArgs.get(0)).isEqualTo("fleet");
        var parsed = Main.commandLine().parseArgs(chironArgs.toArray(String[]::new));
        assertThat(parsed.subcommand().commandSpec().name()).isEqualTo("fleet");
        assertThat(parsed.subcommand().unmatched()).isEmpty();
    }

    @Test
    void theFlinkConfigurationCheckpointsAndTrustsOurRecords() throws IOException {
        JsonNode conf = YAML.readTree(DOCKER.resolve("flink/config.yaml").toFile());
        assertThat(conf.at("/execution/checkpointing/dir").asText()).startsWith("file:///");
        assertThat(conf.at("/env/java/opts/all").asText())
                .contains("--add-opens=java.base/java.util=ALL-UNNAMED")
                .contains("-Dorg.apache.avro.SERIALIZABLE_PACKAGES=io.chiron.records");
    }

    @Test
    void theFlinkDeploymentRunsTheJobAsTheActuatorsServiceAccount() throws IOException {
        Path k8s = DOCKER.resolve("kubernetes");
        JsonNode d = YAML.readTree(k8s.resolve("flink-deployment.yaml").toFile());
        assertThat(d.get("kind").asText()).isEqualTo("FlinkDeployment");
        assertThat(d.get("apiVersion").asText()).isEqualTo("flink.apache.org/v1beta1");
        String[] flink = pomProperty("flink.version").split("\\.");
        assertThat(d.at("/spec/flinkVersion").asText()).isEqualTo("v" + flink[0] + "_" + flink[1]);
        JsonNode job = d.at("/spec/job");
        assertThat(job.get("entryClass").asText()).isEqualTo("io.chiron.jobs.ChironJob");
        assertThat(job.get("upgradeMode").asText()).isEqualTo("savepoint");
        List<String> args = new ArrayList<>();
        job.get("args").forEach(a -> args.add(a.asText()));
        assertJobOptions(args);
        JsonNode conf = d.at("/spec/flinkConfiguration");
        assertThat(conf.get("execution.checkpointing.dir").asText()).isNotBlank();
        assertThat(conf.get("execution.checkpointing.savepoint-dir").asText()).isNotBlank();
        assertThat(conf.get("high-availability.type").asText()).isEqualTo("kubernetes");

        // The jar the deployment runs is the one the Dockerfile puts into the image.
        String dockerfile = Files.readString(k8s.resolve("Dockerfile"));
        assertThat(dockerfile).contains("FROM " + flinkImage());
        Matcher copy = Pattern.compile("COPY (\\S+) (\\S+)").matcher(dockerfile);
        assertThat(copy.find()).isTrue();
        assertThat(ROOT.resolve(copy.group(1))).exists();
        assertThat(job.get("jarURI").asText()).isEqualTo("local://" + copy.group(2));

        // It runs as the service account the RBAC file grants the scale subresource to.
        List<JsonNode> rbac = new ArrayList<>();
        try (var parser =
                YAML.getFactory().createParser(k8s.resolve("actuator-rbac.yaml").toFile())) {
            YAML.readValues(parser, JsonNode.class).forEachRemaining(rbac::add);
        }
        JsonNode account =
                rbac.stream()
                        .filter(n -> n.get("kind").asText().equals("ServiceAccount"))
                        .findFirst()
                        .orElseThrow();
        assertThat(d.at("/spec/serviceAccount").asText())
                .isEqualTo(account.at("/metadata/name").asText());
        assertThat(d.at("/metadata/namespace").asText())
                .isEqualTo(account.at("/metadata/namespace").asText());
        // The actuator scales in the namespace the Role is in.
        JsonNode role =
                rbac.stream()
                        .filter(n -> n.get("kind").asText().equals("Role"))
                        .findFirst()
                        .orElseThrow();
        int ns = args.indexOf("--chiron.actuator.kubernetes.namespace");
        assertThat(args.get(ns + 1)).isEqualTo(role.at("/metadata/namespace").asText());
    }

    private static List<JsonNode> documents(Path file) throws IOException {
        List<JsonNode> docs = new ArrayList<>();
        try (var parser = YAML.getFactory().createParser(file.toFile())) {
            YAML.readValues(parser, JsonNode.class).forEachRemaining(docs::add);
        }
        return docs;
    }

    private static List<String> args(JsonNode workload) {
        List<String> out = new ArrayList<>();
        workload.at("/spec/template/spec/containers/0/args").forEach(a -> out.add(a.asText()));
        return out;
    }

    @Test
    void theGatewayManifestIsAValidCommandLineInFrontOfTheVllmPods() throws IOException {
        Path k8s = DOCKER.resolve("kubernetes");
        JsonNode gateway =
                documents(k8s.resolve("gateway.yaml")).stream()
                        .filter(d -> d.get("kind").asText().equals("Deployment"))
                        .findFirst()
                        .orElseThrow();
        List<String> gatewayArgs = args(gateway);
        // Every argument is one the gateway command knows (picocli parses them as the pod would).
        picocli.CommandLine cli = new picocli.CommandLine(new GatewayCommand());
        cli.parseArgs(gatewayArgs.subList(1, gatewayArgs.size()).toArray(String[]::new));
        assertThat(gatewayArgs.get(0)).isEqualTo("gateway");
        GatewayCommand parsed = cli.getCommand();
        List<JsonNode> docs = documents(k8s.resolve("vllm.yaml"));
        List<JsonNode> vllm =
                docs.stream().filter(d -> d.get("kind").asText().equals("Deployment")).toList();
        assertThat(vllm).hasSize(3);
        for (JsonNode deployment : vllm) {
            List<String> a = args(deployment);
            String role =
                    deployment.at("/spec/template/metadata/labels").get("chiron.io/role").asText();
            // The actuator scales <model>-<role>; the gateway routes by the pods' role label.
            assertThat(deployment.at("/metadata/name").asText()).isEqualTo("llama3-8b-" + role);
            // The cap's ceiling at the gateway is vLLM's own --max-num-seqs.
            assertThat(a).contains("--max-num-seqs=" + parsed.maxNumSeqs);
            // Batch work goes to mixed instances with a priority, which vLLM refuses without it.
            if (role.equals("mixed")) {
                assertThat(a).contains("--scheduling-policy=priority");
            }
            // A removed pod finishes its requests before it stops.
            assertThat(
                            deployment
                                    .at("/spec/template/spec/containers/0/lifecycle/preStop")
                                    .isMissingNode())
                    .isFalse();
            // The Service selecting this role's pods is one the gateway watches.
            JsonNode service =
                    docs.stream()
                            .filter(d -> d.get("kind").asText().equals("Service"))
                            .filter(
                                    d ->
                                            role.equals(
                                                    d.at("/spec/selector")
                                                            .path("chiron.io/role")
                                                            .asText()))
                            .findFirst()
                            .orElseThrow();
            assertThat(parsed.kubernetesServices).contains(service.at("/metadata/name").asText());
        }
        // The gateway's account may watch the slices and annotate the pods, nothing more.
        JsonNode role =
                documents(k8s.resolve("gateway.yaml")).stream()
                        .filter(d -> d.get("kind").asText().equals("Role"))
                        .findFirst()
                        .orElseThrow();
        assertThat(role.get("rules").toString())
                .contains("endpointslices", "watch", "pods", "patch")
                .doesNotContain("delete", "create");
    }
}
