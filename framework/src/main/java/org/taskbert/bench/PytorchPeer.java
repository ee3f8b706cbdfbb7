package org.taskbert.bench;

import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;
import org.taskbert.model.LoadedModel;
import org.taskbert.model.Models;

/**
 * The PyTorch peer ({@code bench/torch_peer.py}): the same BERT, token ids and FLOP count in PyTorch eager mode,
 * run by a Python with torch. It prints one {@code BENCH_RESULT {json}} line per workload: an embedding row per
 * batch size, then a fine-tuning row per number of trained top layers.
 */
public final class PytorchPeer {

    /**
     * One of the peer's rows. Embedding rows carry the fields from {@code batchSize} to {@code forwardGflop},
     * fine-tuning rows those from {@code pairs} to {@code trainGflopPerStep}; the others are null and left out of
     * the JSON, except {@code taskbertOverPytorch} (null where taskbert ran no matching workload). Keys the peer
     * adds later are ignored.
     */
    @JsonInclude(JsonInclude.Include.NON_NULL)
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record Result(
            String engine,
            Integer batchSize,
            Integer sentences,
            Long tokens,
            Double seconds,
            Double sentencesPerSecond,
            Double forwardGflop,
            Integer pairs,
            Integer maxLength,
            Integer trainLayers,
            Double secondsPerStep,
            List<Double> stepSeconds,
            Double examplesPerSecond,
            Double trainGflopPerStep,
            Double effectiveGflops,
            Double fractionOfGemmPeak,
            @JsonInclude(JsonInclude.Include.ALWAYS) Double taskbertOverPytorch) {

        private static final ObjectMapper JSON = new ObjectMapper();

        /** One result line's JSON (without the {@code BENCH_RESULT} prefix). */
        public static Result parse(String json) throws IOException {
            return JSON.readValue(json, Result.class);
        }

        /** Whether this is an embedding row (else a fine-tuning row). */
        @JsonIgnore
        public boolean isEmbed() {
            return sentencesPerSecond != null;
        }

        /** This row with its FLOPs over its time (forward, or one training step) quoted against the peak. */
        public Result rated(double peakGflops) {
            double gflops = isEmbed() ? forwardGflop / seconds : trainGflopPerStep / secondsPerStep;
            return with(gflops, gflops / peakGflops, taskbertOverPytorch);
        }

        /**
         * taskbert's effective rate over this row's: an embedding row against the first of {@code embed} at its batch
         * size, a fine-tuning row against the first of {@code train} with as many trained layers; null where none is.
         */
        public Double taskbertOver(List<EmbedWorkload.Result> embed, List<TrainWorkload.Result> train) {
            Double ours = isEmbed()
                    ? embed.stream()
                            .filter(r ->
                                    Objects.equals(r.batchSize(), batchSize) && EmbedWorkload.ENGINE.equals(r.engine()))
                            .map(EmbedWorkload.Result::effectiveGflops)
                            .findFirst()
                            .orElse(null)
                    : train.stream()
                            .filter(r -> Objects.equals(r.trainLayers(), trainLayers))
                            .map(TrainWorkload.Result::effectiveGflops)
                            .findFirst()
                            .orElse(null);
            return ours == null ? null : ours / effectiveGflops;
        }

        /** This row with taskbert's effective rate over the peer's for the same workload (null: none). */
        public Result withRatio(Double ratio) {
            return with(effectiveGflops, fractionOfGemmPeak, ratio);
        }

        private Result with(Double gflops, Double fraction, Double ratio) {
            return new Result(
                    engine,
                    batchSize,
                    sentences,
                    tokens,
                    seconds,
                    sentencesPerSecond,
                    forwardGflop,
                    pairs,
                    maxLength,
                    trainLayers,
                    secondsPerStep,
                    stepSeconds,
                    examplesPerSecond,
                    trainGflopPerStep,
                    gflops,
                    fraction,
                    ratio);
        }
    }

    private final String python;
    private final Path script;
    private final Path modelDir;
    private final Path check;

    /**
     * @param modelDir the Hugging Face export of the model ({@code taskbert export})
     * @param check reference vectors to verify the peer against first, or null
     */
    public PytorchPeer(String python, Path script, Path modelDir, Path check) {
        this.python = python;
        this.script = script;
        this.modelDir = modelDir;
        this.check = check;
    }

    /**
     * Runs the peer on {@code sentences} tokenized by {@code model}'s tokenizer (the ids taskbert embeds) and returns
     * its rows, rated against {@code peakGflops}.
     *
     * @param trainLayers the peer's {@code --train-layers}: a comma list, one fine-tuning row each
     * @throws IllegalStateException if the peer fails or prints no row
     */
    public List<Result> run(
            String model,
            List<String> sentences,
            List<Integer> batchSizes,
            int trainSteps,
            String trainLayers,
            double peakGflops)
            throws IOException, InterruptedException {
        LoadedModel m = Models.load(model);
        ObjectMapper json = new ObjectMapper();
        Path ids = Files.createTempFile("taskbert-bench-ids", ".jsonl");
        try {
            List<String> lines = new ArrayList<>();
            for (String s : sentences) {
                lines.add(json.writeValueAsString(m.tokenizer().encode(s, 512).inputIds()));
            }
            Files.write(ids, lines, StandardCharsets.UTF_8);
            List<String> cmd = new ArrayList<>(List.of(
                    python,
                    script.toString(),
                    "--model-dir",
                    modelDir.toString(),
                    "--ids",
                    ids.toString(),
                    "--batch-sizes",
                    batchSizes.stream().map(String::valueOf).collect(Collectors.joining(",")),
                    "--train-steps",
                    String.valueOf(trainSteps),
                    "--train-layers",
                    trainLayers));
            if (check != null) {
                cmd.addAll(List.of("--check", check.toString()));
            }
            Process p = new ProcessBuilder(cmd)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
            List<Result> rows = ChildJvm.results(p.getInputStream(), Result.class).stream()
                    .map(r -> r.rated(peakGflops))
                    .toList();
            if (p.waitFor() != 0 || rows.isEmpty()) {
                throw new IllegalStateException("the PyTorch peer " + cmd + " failed (exit " + p.exitValue() + ")");
            }
            return rows;
        } finally {
            Files.deleteIfExists(ids);
        }
    }
}
