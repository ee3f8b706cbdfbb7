package org.taskbert.spark;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.taskbert.cli.ProgressBars;
import org.taskbert.config.ConfigLoader;
import org.taskbert.encoder.Encoder;
import org.taskbert.model.LoadedModel;
import org.taskbert.model.Models;
import org.taskbert.spi.config.ConfigException;
import org.taskbert.task.TaskRegistry;
import org.taskbert.train.TrainConfig;
import org.taskbert.train.Trainer;
import org.taskbert.train.TrainerState;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code taskbert spark train CONFIG --workers N}: {@code taskbert train} with each step's micro-batches shared over
 * N Spark workers. A step's global batch is {@code training.grad_accumulation} micro-batches of {@code
 * training.batch_size}, the same batches, dropout masks and optimiser as one process; checkpoints, {@code --resume},
 * evaluation and metrics are the trainer's own, on the driver.
 */
@Command(
        name = "train",
        mixinStandardHelpOptions = true,
        description = {
            "Fine-tune data-parallel on Spark: each step's training.grad_accumulation micro-batches are shared over",
            "--workers tasks, their gradients summed by Spark, one AdamW step on the driver."
        })
final class SparkTrainCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Parameters(index = "0", paramLabel = "CONFIG")
    Path config;

    @Option(names = "--workers", required = true, description = "Spark tasks a step's micro-batches are shared over")
    int workers;

    @Option(names = "--master", description = "Spark master URL (default: spark-submit's, else local[*])")
    String master;

    @Option(names = "--set", description = "override a config field: key.path=value (e.g. training.steps=100)")
    List<String> overrides = List.of();

    @Option(names = "--resume", description = "continue from the run folder's latest checkpoint")
    boolean resume;

    @Option(
            names = "--local-steps",
            defaultValue = "1",
            description = "local SGD: each worker takes K steps alone (its own AdamW, its share of each step's"
                    + " micro-batches) before the weights are averaged (default ${DEFAULT-VALUE}: synchronous)")
    int localSteps;

    @Override
    public Integer call() throws Exception {
        TaskRegistry tasks = TaskRegistry.discover();
        ConfigLoader loader = new ConfigLoader(List.of(tasks.jacksonModule()));
        TrainConfig cfg = loader.read(config, TrainConfig.class, overrides).validate(config.toString());
        int perStep = cfg.training().gradAccumulation();
        if (localSteps < 1) {
            throw new ConfigException("--local-steps must be at least 1, got " + localSteps);
        }
        if (workers < 1) {
            throw new ConfigException("--workers must be at least 1, got " + workers);
        }
        if (perStep < workers) {
            throw new ConfigException(config + ": field 'training.grad_accumulation' is " + perStep + ", fewer than"
                    + " --workers " + workers + ": a step's global batch is grad_accumulation micro-batches of"
                    + " training.batch_size, shared over the workers, so each needs one at least");
        }
        String merged = loader.merged(config, overrides);
        String taskName = tasks.nameOf(cfg.task());
        LoadedModel base = Models.load(cfg.model());
        int layers = base.config().numLayers();
        int trainLayers = cfg.training().trainLayers();
        if (trainLayers < 0 || trainLayers >= layers) {
            throw new ConfigException(config + ": field 'training.train_layers' is " + trainLayers + ", which trains"
                    + " the word table (sparse rows, which only `taskbert train` updates); set it below the layer"
                    + " count " + layers);
        }
        SparkSession spark = SparkSessions.open(master, "taskbert spark train");
        Path work = Files.createTempDirectory("taskbert-spark-train");
        TrainJob job = null;
        try {
            JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
            job = new TrainJob(
                    UUID.randomUUID().toString(),
                    merged,
                    taskName,
                    ShippedModel.ship(sc, base, work),
                    perStep,
                    workers);
            SparkGradients gradients = new SparkGradients(sc, job);
            SparkLocalRounds rounds = localSteps > 1 ? new SparkLocalRounds(sc, job, localSteps) : null;
            Trainer trainer = rounds != null
                    ? new Trainer(cfg, merged, taskName, rounds)
                    : new Trainer(cfg, merged, taskName, gradients);
            Encoder.Progress[] bar = new Encoder.Progress[1];
            TrainerState end = trainer.run(resume, new Trainer.Listener() {
                @Override
                public void started(long fromStep, long totalSteps) {
                    bar[0] = ProgressBars.start("spark train", (int) totalSteps, "steps");
                    bar[0].done((int) fromStep);
                }

                @Override
                public void step(long step, double loss, double examplesPerSecond) {
                    bar[0].done((int) step);
                }
            });
            SparkGradients.Totals t = gradients.totals();
            spec.commandLine()
                    .getOut()
                    .printf(
                            "finished at step %d; last metrics %s; best %s = %s%n",
                            end.step(), end.lastMetrics(), end.bestCheckpoint(), end.bestMetric());
            if (rounds != null) {
                spec.commandLine().getErr().println(rounds.summary());
            } else if (t.steps() > 0) {
                spec.commandLine()
                        .getErr()
                        .printf(
                                "spark: %d steps over %d workers (master %s), median %.3f s a step in Spark of which"
                                        + " the workers computed %.3f s (summed); each step sent %d trainable values"
                                        + " (%.2f MB) to each worker and got as many back from each%n",
                                t.steps(),
                                workers,
                                spark.sparkContext().master(),
                                t.medianSeconds(),
                                t.medianWorkerSeconds(),
                                t.valuesPerStep(),
                                t.valuesPerStep() * 4 / 1e6);
            }
            trainer.unknownPiecesReport().ifPresent(spec.commandLine().getErr()::println);
            return 0;
        } finally {
            if (job != null) {
                job.release();
                job.model().forget();
            }
            spark.stop();
            SparkEmbedCommand.deleteTree(work);
        }
    }
}
