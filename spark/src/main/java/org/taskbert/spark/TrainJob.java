package org.taskbert.spark;

import java.io.IOException;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import org.apache.spark.api.java.function.Function;
import org.apache.spark.broadcast.Broadcast;
import org.taskbert.config.ConfigLoader;
import org.taskbert.task.TaskRegistry;
import org.taskbert.train.GradientSums;
import org.taskbert.train.LocalRound;
import org.taskbert.train.MicroBatchWorker;
import org.taskbert.train.TrainConfig;

/**
 * What every worker of a {@code spark train} run needs: the run's config (as it ran, the overrides merged), its task's
 * name, the base model the driver sent, and how a step's micro-batches are shared: worker w of n runs micro-batches
 * [w·k/n, (w+1)·k/n) of the k a step has. Each executor JVM builds a {@link MicroBatchWorker} per task running at
 * once and keeps it for the run's later steps.
 */
record TrainJob(String id, String configText, String taskName, ShippedModel model, int microBatches, int workers)
        implements Serializable {

    private static final Map<String, Queue<MicroBatchWorker>> IDLE = new ConcurrentHashMap<>();

    /** The first micro-batch of worker {@code w}'s share. */
    int from(int w) {
        return (int) ((long) w * microBatches / workers);
    }

    /** The function a step's tasks run: worker id → its share's gradient sums, on the broadcast weights. */
    Function<Integer, GradientSums> step(long step, Broadcast<Map<String, float[]>> weights) {
        TrainJob job = this;
        return w -> job.run(w, step, weights.value());
    }

    GradientSums run(int w, long step, Map<String, float[]> weights) throws IOException {
        return withWorker(worker -> worker.compute(step, from(w), from(w + 1), weights));
    }

    /** The function of a local-SGD round's tasks: worker id → its weights and moments after the round's steps. */
    Function<Integer, LocalRound> round(long step, int steps, Broadcast<RoundStart> start) {
        TrainJob job = this;
        return w -> job.withWorker(worker -> worker.localRound(
                step,
                steps,
                job.from(w),
                job.from(w + 1),
                start.value().weights(),
                start.value().optimizer(),
                start.value().t()));
    }

    /** What a local-SGD round starts from: the trainer's weights and AdamW state after {@code t} steps. */
    record RoundStart(Map<String, float[]> weights, Map<String, float[]> optimizer, long t) implements Serializable {}

    private <T> T withWorker(java.util.function.Function<MicroBatchWorker, T> work) throws IOException {
        Queue<MicroBatchWorker> idle = IDLE.computeIfAbsent(id, k -> new ConcurrentLinkedQueue<>());
        MicroBatchWorker worker = idle.poll();
        if (worker == null) {
            worker = newWorker();
        }
        try {
            return work.apply(worker);
        } finally {
            idle.offer(worker);
        }
    }

    private MicroBatchWorker newWorker() throws IOException {
        Path file = Files.createTempFile("taskbert-spark-train", ".yaml");
        try {
            Files.writeString(file, configText, StandardCharsets.UTF_8);
            TaskRegistry tasks = TaskRegistry.discover();
            TrainConfig cfg = new ConfigLoader(List.of(tasks.jacksonModule()))
                    .read(file, TrainConfig.class, List.of())
                    .validate(file.toString());
            return new MicroBatchWorker(cfg, taskName, model.load());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } finally {
            Files.deleteIfExists(file);
        }
    }

    /** Drops this JVM's workers of the run (the driver's, in local mode, when the run ends). */
    void release() {
        IDLE.remove(id);
    }
}
