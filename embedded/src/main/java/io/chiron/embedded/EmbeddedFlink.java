package io.chiron.embedded;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import org.apache.commons.io.FileUtils;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * A Flink MiniCluster in this JVM, bound to loopback with ephemeral ports, that runs the jobs built
 * on a {@link StreamExecutionEnvironment}. The classes of the jobs are on this JVM's class path, so
 * no jar is shipped.
 */
public final class EmbeddedFlink implements AutoCloseable {
    private final MiniCluster cluster;
    private final int slots;

    private EmbeddedFlink(MiniCluster cluster, int slots) {
        this.cluster = cluster;
        this.slots = slots;
    }

    public static EmbeddedFlink start(int slots) throws Exception {
        Configuration config = loopback();
        config.set(TaskManagerOptions.NUM_TASK_SLOTS, slots);
        // Enough for a handful of small jobs on a laptop; the defaults assume a real TaskManager.
        config.set(TaskManagerOptions.MANAGED_MEMORY_SIZE, MemorySize.ofMebiBytes(64));
        config.set(TaskManagerOptions.NETWORK_MEMORY_MIN, MemorySize.ofMebiBytes(64));
        config.set(TaskManagerOptions.NETWORK_MEMORY_MAX, MemorySize.ofMebiBytes(64));
        MiniCluster cluster =
                new MiniCluster(
                        new MiniClusterConfiguration.Builder()
                                .setConfiguration(config)
                                .setNumTaskManagers(1)
                                .setNumSlotsPerTaskManager(slots)
                                .build());
        cluster.start();
        return new EmbeddedFlink(cluster, slots);
    }

    /** The settings that keep every Flink port on 127.0.0.1 and ephemeral. */
    public static Configuration loopback() {
        Configuration config = new Configuration();
        config.set(RestOptions.BIND_ADDRESS, "127.0.0.1");
        config.set(RestOptions.ADDRESS, "127.0.0.1");
        config.set(RestOptions.BIND_PORT, "0");
        config.set(JobManagerOptions.BIND_HOST, "127.0.0.1");
        config.set(JobManagerOptions.ADDRESS, "127.0.0.1");
        config.set(TaskManagerOptions.BIND_HOST, "127.0.0.1");
        config.set(TaskManagerOptions.HOST, "127.0.0.1");
        return config;
    }

    public int slots() {
        return slots;
    }

    /** Submits the job defined on {@code env} and returns at once. */
    public JobID submit(StreamExecutionEnvironment env, String jobName)
            throws ExecutionException, InterruptedException {
        var graph = env.getStreamGraph();
        graph.setJobName(jobName);
        return cluster.submitJob(graph).get().getJobID();
    }

    public CompletableFuture<JobResult> result(JobID job) {
        return cluster.requestJobResult(job);
    }

    public JobStatus status(JobID job) throws ExecutionException, InterruptedException {
        return cluster.getJobStatus(job).get();
    }

    /** The highest attempt number of any task of a job: above 0 means it was restarted. */
    public int maxAttemptNumber(JobID job) throws ExecutionException, InterruptedException {
        int max = 0;
        for (var vertex : cluster.getArchivedExecutionGraph(job).get().getAllExecutionVertices()) {
            max = Math.max(max, vertex.getCurrentExecutionAttempt().getAttemptNumber());
        }
        return max;
    }

    public void cancel(JobID job) throws ExecutionException, InterruptedException {
        cluster.cancelJob(job).get();
    }

    /**
     * Stops the job the way {@code flink stop --drain} does: sources stop, event time advances to
     * its end so every window fires, sinks flush, and a savepoint (to a temporary directory,
     * deleted afterwards) is taken. Returns once the job has finished.
     */
    public JobResult stopWithDrain(JobID job) throws Exception {
        Path savepoints = Files.createTempDirectory("chiron-savepoint-");
        try {
            cluster.stopWithSavepoint(
                            job, savepoints.toUri().toString(), true, SavepointFormatType.CANONICAL)
                    .get();
            return cluster.requestJobResult(job).get();
        } finally {
            FileUtils.deleteQuietly(savepoints.toFile());
        }
    }

    @Override
    public void close() throws Exception {
        cluster.close();
    }
}
