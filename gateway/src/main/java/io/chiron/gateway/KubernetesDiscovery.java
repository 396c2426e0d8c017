package io.chiron.gateway;

import io.chiron.records.InstanceRole;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;

import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * Instances from Kubernetes: the EndpointSlices of one or more Services, watched (fabric8
 * informers), each endpoint's role from its pod's {@value #ROLE_LABEL} label (MIXED without one). A
 * ready endpoint is an instance; a terminating one drains (no new requests, it finishes what it
 * has); one not yet ready is not an instance yet. And the other way round: the gateway sets each
 * pod's {@value #DELETION_COST} from its load, so that a ReplicaSet scaling in removes an idle pod,
 * not a busy one.
 */
public final class KubernetesDiscovery implements AutoCloseable {
    public static final String ROLE_LABEL = "chiron.io/role";
    public static final String DELETION_COST = "controller.kubernetes.io/pod-deletion-cost";
    static final String SERVICE_LABEL = "kubernetes.io/service-name";

    /** One endpoint as the gateway sees it. */
    public record Member(String pod, URI url, InstanceRole role, boolean draining) {}

    private final KubernetesClient client;
    private final String namespace;
    private final List<String> services;
    private final Map<String, EndpointSlice> slices = new ConcurrentHashMap<>();
    private final Map<String, InstanceRole> roles = new ConcurrentHashMap<>();
    private final List<SharedIndexInformer<EndpointSlice>> informers = new ArrayList<>();
    private volatile Consumer<List<Member>> listener = m -> {};

    public KubernetesDiscovery(KubernetesClient client, String namespace, List<String> services) {
        if (services.isEmpty()) {
            throw new IllegalArgumentException("--kubernetes-service: name at least one Service");
        }
        this.client = client;
        this.namespace = namespace;
        this.services = List.copyOf(services);
    }

    /** Starts the watches; {@code updates} gets the whole set of instances after every change. */
    public void start(Consumer<List<Member>> updates) {
        this.listener = updates;
        for (String service : services) {
            informers.add(
                    client.discovery()
                            .v1()
                            .endpointSlices()
                            .inNamespace(namespace)
                            .withLabel(SERVICE_LABEL, service)
                            .inform(
                                    new ResourceEventHandler<>() {
                                        @Override
                                        public void onAdd(EndpointSlice s) {
                                            slices.put(key(s), s);
                                            publish();
                                        }

                                        @Override
                                        public void onUpdate(EndpointSlice old, EndpointSlice s) {
                                            slices.put(key(s), s);
                                            publish();
                                        }

                                        @Override
                                        public void onDelete(EndpointSlice s, boolean unknown) {
                                            slices.remove(key(s));
                                            publish();
                                        }
                                    },
                                    0));
        }
    }

    private static String key(EndpointSlice s) {
        return s.getMetadata().getNamespace() + "/" + s.getMetadata().getName();
    }

    private void publish() {
        listener.accept(members());
    }

    /** The instances the slices hold now. */
    List<Member> members() {
        Map<String, Member> out = new HashMap<>();
        for (EndpointSlice s : slices.values()) {
            int port = port(s);
            if (port < 1 || s.getEndpoints() == null) {
                continue;
            }
            for (Endpoint e : s.getEndpoints()) {
                if (e.getAddresses() == null || e.getAddresses().isEmpty()) {
                    continue;
                }
                boolean terminating =
                        e.getConditions() != null
                                && Boolean.TRUE.equals(e.getConditions().getTerminating());
                boolean ready =
                        e.getConditions() == null
                                || !Boolean.FALSE.equals(e.getConditions().getReady());
                if (!ready && !terminating) {
                    continue; // starting: not an instance yet
                }
                String address = e.getAddresses().get(0);
                String pod =
                        e.getTargetRef() != null && e.getTargetRef().getName() != null
                                ? e.getTargetRef().getName()
                                : address;
                URI url =
                        URI.create(
                                "http://"
                                        + (address.contains(":") ? "[" + address + "]" : address)
                                        + ":"
                                        + port);
                out.put(pod, new Member(pod, url, role(pod), terminating));
            }
        }
        return new ArrayList<>(out.values());
    }

    /** The slice's HTTP port: the one named {@code http}, else the first. */
    private static int port(EndpointSlice s) {
        if (s.getPorts() == null || s.getPorts().isEmpty()) {
            return -1;
        }
        for (EndpointPort p : s.getPorts()) {
            if ("http".equals(p.getName()) && p.getPort() != null) {
                return p.getPort();
            }
        }
        Integer first = s.getPorts().get(0).getPort();
        return first == null ? -1 : first;
    }

    /** A pod's role from its label, read once (a pod's labels that matter here do not change). */
    private InstanceRole role(String pod) {
        return roles.computeIfAbsent(
                pod,
                name -> {
                    Pod p = client.pods().inNamespace(namespace).withName(name).get();
                    String label =
                            p == null || p.getMetadata().getLabels() == null
                                    ? null
                                    : p.getMetadata().getLabels().get(ROLE_LABEL);
                    if (label == null) {
                        return InstanceRole.MIXED;
                    }
                    try {
                        return InstanceRole.valueOf(label.toUpperCase(Locale.ROOT));
                    } catch (IllegalArgumentException e) {
                        return InstanceRole.MIXED;
                    }
                });
    }

    /** Sets a pod's deletion cost (blocking: call off the event loop). */
    public void setDeletionCost(String pod, int cost) {
        client.pods()
                .inNamespace(namespace)
                .withName(pod)
                .edit(
                        p -> {
                            if (p.getMetadata().getAnnotations() == null) {
                                p.getMetadata().setAnnotations(new HashMap<>());
                            }
                            p.getMetadata()
                                    .getAnnotations()
                                    .put(DELETION_COST, Integer.toString(cost));
                            return p;
                        });
    }

    @Override
    public void close() {
        informers.forEach(SharedIndexInformer::close);
    }
}
