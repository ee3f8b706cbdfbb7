package org.taskbert.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import org.taskbert.encoder.Encoder;
import org.taskbert.encoder.InferenceEncoder;
import org.taskbert.model.LoadedModel;
import org.taskbert.model.Models;
import org.taskbert.spi.Encoding;
import org.taskbert.spi.Pooling;
import org.taskbert.spi.data.StsPair;
import org.taskbert.spi.eval.StsEvaluation;

/**
 * The embedding workload: the distinct sentences of STS files through the inference encoder at one batch size,
 * timed after a warm-up of two batches, in a child JVM per batch size and ND4J build. FLOPs count real tokens only
 * ({@link Flops#forward}).
 */
public final class EmbedWorkload {

    /** The {@code engine} of every row: the one encoder. */
    public static final String ENGINE = "inference";

    /** What a worker prints. */
    public record Measurement(
            String engine,
            int batchSize,
            int sentences,
            long tokens,
            double seconds,
            double sentencesPerSecond,
            double forwardGflop,
            double peakResidentMiB,
            String nd4jBuild) {}

    /** One row of the report: a worker's measurement, the build it was asked for, and its rate against the peak. */
    public record Result(
            String engine,
            int batchSize,
            int sentences,
            long tokens,
            double seconds,
            double sentencesPerSecond,
            double forwardGflop,
            double peakResidentMiB,
            String nd4jBuild,
            String natives,
            double effectiveGflops,
            double fractionOfGemmPeak) {

        /** {@code m}'s forward FLOPs over its time, quoted against {@code peakGflops}. */
        public static Result of(Measurement m, String natives, double peakGflops) {
            double gflops = m.forwardGflop() / m.seconds();
            return new Result(
                    m.engine(),
                    m.batchSize(),
                    m.sentences(),
                    m.tokens(),
                    m.seconds(),
                    m.sentencesPerSecond(),
                    m.forwardGflop(),
                    m.peakResidentMiB(),
                    m.nd4jBuild(),
                    natives,
                    gflops,
                    gflops / peakGflops);
        }
    }

    private EmbedWorkload() {}

    /** The distinct sentences of the STS files, in file order; the first {@code max} of them unless it is 0. */
    public static List<String> sentences(List<Path> files, int max) throws IOException {
        LinkedHashSet<String> unique = new LinkedHashSet<>();
        for (Path f : files) {
            for (StsPair p : StsEvaluation.read(f).pairs()) {
                unique.add(p.sentence1());
                unique.add(p.sentence2());
            }
        }
        List<String> all = List.copyOf(unique);
        return max > 0 && max < all.size() ? all.subList(0, max) : all;
    }

    /** Worker side: embeds {@code sentences} (CLS and mean pooling) once after a warm-up, in this JVM. */
    public static Measurement measure(String model, int batchSize, List<String> sentences) {
        LoadedModel m = Models.load(model);
        List<Encoding> inputs = new ArrayList<>();
        long tokens = 0;
        double flops = 0;
        for (String s : sentences) {
            Encoding e = m.tokenizer().encode(s, 512);
            inputs.add(e);
            tokens += e.length();
            flops += Flops.forward(m.config(), e.length());
        }
        try (Encoder enc = new InferenceEncoder(m.weights(), batchSize)) {
            enc.encode(
                    inputs.subList(0, Math.min(2 * batchSize, inputs.size())),
                    EnumSet.of(Pooling.CLS),
                    Encoder.Progress.NONE);
            long start = System.nanoTime();
            enc.encode(inputs, EnumSet.of(Pooling.CLS, Pooling.MEAN), Encoder.Progress.NONE);
            double sec = (System.nanoTime() - start) / 1e9;
            return new Measurement(
                    ENGINE,
                    batchSize,
                    inputs.size(),
                    tokens,
                    sec,
                    inputs.size() / sec,
                    flops / 1e9,
                    Memory.peakResidentMiB(),
                    Nd4jBuilds.loaded());
        }
    }

    /**
     * Parent side: runs {@code bench --worker inference:BATCH} on the files with the named ND4J build
     * ({@link Nd4jBuilds#options}).
     */
    public static Result run(
            ChildJvm jvm,
            String model,
            int batchSize,
            String natives,
            int maxSentences,
            List<Path> files,
            double peakGflops)
            throws IOException, InterruptedException {
        List<String> args = new ArrayList<>(List.of(
                "bench",
                "--worker",
                ENGINE + ":" + batchSize,
                "-m",
                model,
                "--max-sentences",
                String.valueOf(maxSentences)));
        files.forEach(f -> args.add(f.toString()));
        Measurement m = jvm.run(args, Nd4jBuilds.options(natives), Map.of(), Measurement.class);
        return Result.of(m, natives, peakGflops);
    }
}
