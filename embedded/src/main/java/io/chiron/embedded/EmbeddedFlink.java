package io.chiron.embedded;

import org.apache.flink.api.common.JobID;
import org.apache.flink.api.common.JobStatus;
import org.apache.flink.configuration.CheckpointingOptions;
import org.apache.flink.configuration.Configuration;
import org.apache.flink.configuration.CoreOptions;
import org.apache.flink.configuration.JobManagerOptions;
import org.apache.flink.configuration.MemorySize;
import org.apache.flink.configuration.RestOptions;
import org.apache.flink.configuration.TaskManagerOptions;
import org.apache.flink.core.execution.CheckpointType;
import org.apache.flink.core.execution.SavepointFormatType;
import org.apache.flink.runtime.jobmaster.JobResult;
import org.apache.flink.runtime.minicluster.MiniCluster;
import org.apache.flink.runtime.minicluster.MiniClusterConfiguration;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;

import org.apache.commons.io.FileUtils;

import java.nio.file.Path;
import java.time.Duration;
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

    private final Path checkpoints;

    private EmbeddedFlink(MiniCluster cluster, int slots, Path checkpoints) {
        this.cluster = cluster;
        this.slots = slots;
        this.checkpoints = checkpoints;
    }

    public static EmbeddedFlink start(int slots) throws Exception {
        return start(slots, new Configuration());
    }

    /**
     * @param extra settings on top of the embedded ones (a metric reporter, for example)
     */
    public static EmbeddedFlink start(int slots, Configuration extra) throws Exception {
        Configuration config = loopback();
        config.addAll(extra);
        // Checkpoints to files in a temporary directory (deleted on close): the JobManager's
        // memory holds at most 5 MB of state, far less than a fleet of thousands of instances.
        Path checkpoints = RunDirectory.create("checkpoints-");
        config.set(CheckpointingOptions.CHECKPOINT_STORAGE, "filesystem");
        config.set(CheckpointingOptions.CHECKPOINTS_DIRECTORY, checkpoints.toUri().toString());
        config.set(TaskManagerOptions.NUM_TASK_SLOTS, slots);
        // Flink's own temporary files (the RPC jar it extracts, the MiniCluster's working
        // directories) in the run directory too, so a killed run leaves nothing behind for long.
        config.set(CoreOptions.TMP_DIRS, RunDirectory.create("flink-").toString());
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
        return new EmbeddedFlink(cluster, slots, checkpoints);
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

    /**
     * Takes a full checkpoint of a running job (its checkpointing must be enabled) and returns the
     * size of its state in bytes, once the checkpoint's statistics are in.
     */
    public long checkpointStateSize(JobID job) throws Exception {
        long id;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (true) {
            try {
                id = cluster.triggerCheckpoint(job, CheckpointType.FULL).get();
                break;
            } catch (ExecutionException e) {
                // Refused while some tasks are still being deployed: ask again shortly.
                if (System.nanoTime() > deadline
                        || !String.valueOf(e.getMessage()).contains("not being executed")) {
                    throw e;
                }
                Thread.sleep(100);
            }
        }
        while (true) {
            var latest =
                    cluster.getExecutionGraph(job)
                            .get()
                            .getCheckpointStatsSnapshot()
                            .getHistory()
                            .getLatestCompletedCheckpoint();
            if (latest != null && latest.getCheckpointId() >= id) {
                return latest.getStateSize();
            }
            // The statistics are updated asynchronously, just after the checkpoint completes.
            Thread.sleep(20);
        }
    }

    /**
     * Kills the TaskManager and starts a new one in its place (a machine lost): its tasks fail, and
     * the jobs restart on the new one from their last checkpoints.
     */
    public void replaceTaskManager() throws Exception {
        cluster.terminateTaskManager(0).get();
        cluster.startTaskManager();
    }

    /** Cancels the job and returns once it has stopped (its tasks and their state released). */
    public void cancel(JobID job) throws ExecutionException, InterruptedException {
        cluster.cancelJob(job).get();
        cluster.requestJobResult(job).get();
    }

    /**
     * Stops the job the way {@code flink stop --drain} does: sources stop, event time advances to
     * its end so every window fires, sinks flush, and a savepoint (to a temporary directory,
     * deleted afterwards) is taken. Returns once the job has finished.
     */
    public JobResult stopWithDrain(JobID job) throws Exception {
        Path savepoints = RunDirectory.create("savepoint-");
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
        try {
            cluster.close();
        } finally {
            FileUtils.deleteQuietly(checkpoints.toFile());
        }
    }
}
