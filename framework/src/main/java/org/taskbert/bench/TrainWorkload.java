package org.taskbert.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.taskbert.train.StepMetrics;

/**
 * The training workload: {@code taskbert train} on a config in a child JVM, its run's {@code metrics.jsonl} polled
 * once a second ({@link StepMetrics#read}) until the wanted steps are logged, then the child is stopped. The first
 * {@value #WARM_UP} steps are warm-up; the rest are timed.
 */
public final class TrainWorkload {

    /** Logged steps left out of the timing. */
    public static final int WARM_UP = 2;

    /**
     * One row of the report: the median and each timed step's seconds, the mean rate and FLOPs of the timed steps,
     * the highest peak RSS any logged step saw, and the step's FLOPs over the median time against the GEMM peak.
     */
    public record Result(
            String config,
            List<String> overrides,
            double secondsPerStep,
            int trainLayers,
            List<Double> stepSeconds,
            double examplesPerSecond,
            double trainGflopPerStep,
            double peakResidentMiB,
            double effectiveGflops,
            double fractionOfGemmPeak) {}

    private TrainWorkload() {}

    /**
     * Trains {@code config} in a child (with {@code overrides} as {@code --set}s, and {@code training.train_layers}
     * unless {@code layers} is null) until {@code steps} steps are logged.
     *
     * @throws IllegalStateException if the child ends first
     */
    public static Result run(
            ChildJvm jvm, Path config, List<String> overrides, Integer layers, int steps, double peakGflops)
            throws IOException, InterruptedException {
        Path runDir = Files.createTempDirectory("taskbert-bench-train");
        List<String> args = new ArrayList<>(List.of(
                "train",
                config.toString(),
                "--set",
                "output=" + runDir,
                "--set",
                "training.steps=" + (steps + 1000),
                "--set",
                "training.eval_every=100000",
                "--set",
                "training.checkpoint_every=100000",
                "--set",
                "training.warmup_steps=1"));
        overrides.forEach(s -> {
            args.add("--set");
            args.add(s);
        });
        if (layers != null) {
            args.add("--set");
            args.add("training.train_layers=" + layers);
        }
        Process p = jvm.start(args, List.of(), ProcessBuilder.Redirect.INHERIT, Map.of());
        Path metrics = runDir.resolve("metrics.jsonl");
        List<StepMetrics> logged = List.of();
        try {
            while (logged.size() < steps) {
                if (!p.isAlive()) {
                    throw new IllegalStateException("training workload " + config + " ended (exit " + p.exitValue()
                            + ") after " + logged.size() + " steps; see its output above");
                }
                TimeUnit.SECONDS.sleep(1);
                logged = Files.exists(metrics) ? StepMetrics.read(metrics) : List.of();
            }
        } finally {
            p.destroyForcibly().waitFor();
        }
        return result(config.toString(), overrides, logged, steps, peakGflops);
    }

    /**
     * The row for the first {@code steps} of the {@code logged} steps (steps {@value #WARM_UP}+1 to {@code steps}
     * timed).
     *
     * @throws IllegalArgumentException if fewer than {@code steps} are logged or no step is left after the warm-up
     */
    public static Result result(
            String config, List<String> overrides, List<StepMetrics> logged, int steps, double peakGflops) {
        if (steps <= WARM_UP || logged.size() < steps) {
            throw new IllegalArgumentException(config + ": " + logged.size() + " steps logged, " + steps
                    + " wanted (more than the " + WARM_UP + " warm-up steps)");
        }
        List<StepMetrics> timed = logged.subList(WARM_UP, steps);
        List<Double> seconds = timed.stream().map(StepMetrics::stepSeconds).toList();
        double median =
                seconds.stream().mapToDouble(Double::doubleValue).sorted().toArray()[seconds.size() / 2];
        double gflop =
                timed.stream().mapToDouble(StepMetrics::trainGflop).average().orElse(Double.NaN);
        double gflops = gflop / median;
        return new Result(
                config,
                List.copyOf(overrides),
                median,
                timed.get(0).trainLayers(),
                seconds,
                timed.stream()
                        .mapToDouble(StepMetrics::examplesPerSecond)
                        .average()
                        .orElse(Double.NaN),
                gflop,
                logged.stream().mapToDouble(StepMetrics::peakRssMib).max().orElse(0),
                gflops,
                gflops / peakGflops);
    }
}
