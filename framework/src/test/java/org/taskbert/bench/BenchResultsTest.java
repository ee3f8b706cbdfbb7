package org.taskbert.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taskbert.train.StepMetrics;

/** The typed rows of {@code taskbert bench}: what they read and the JSON keys they write. */
class BenchResultsTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** Lines as bench/torch_peer.py prints them, with a key it might add later. */
    private static final String PEER_OUTPUT = String.join(
            "\n",
            "torch 2.x, 2 threads",
            "BENCH_RESULT {\"engine\": \"pytorch\", \"batchSize\": 32, \"sentences\": 64, \"tokens\": 600,"
                    + " \"seconds\": 2.0, \"sentencesPerSecond\": 32.0, \"forwardGflop\": 100.0, \"threads\": 2}",
            "BENCH_RESULT {\"engine\": \"pytorch\", \"pairs\": 16, \"maxLength\": 32, \"trainLayers\": 2,"
                    + " \"secondsPerStep\": 0.5, \"stepSeconds\": [0.5, 0.6], \"examplesPerSecond\": 30.0,"
                    + " \"trainGflopPerStep\": 20.0}",
            "");

    private static List<String> keys(Object value) {
        List<String> out = new ArrayList<>();
        JSON.valueToTree(value).fieldNames().forEachRemaining(out::add);
        return out;
    }

    @Test
    void peerLinesParseIntoTypedRowsIgnoringUnknownKeys() throws Exception {
        List<PytorchPeer.Result> rows = ChildJvm.results(
                new ByteArrayInputStream(PEER_OUTPUT.getBytes(StandardCharsets.UTF_8)), PytorchPeer.Result.class);
        assertEquals(2, rows.size());
        PytorchPeer.Result embed = rows.get(0).rated(200);
        assertTrue(embed.isEmbed());
        assertEquals(32, embed.batchSize());
        assertEquals(600L, embed.tokens());
        assertEquals(50.0, embed.effectiveGflops(), 1e-12);
        assertEquals(0.25, embed.fractionOfGemmPeak(), 1e-12);
        assertNull(embed.trainLayers());
        PytorchPeer.Result train = rows.get(1).rated(200);
        assertFalse(train.isEmbed());
        assertEquals(List.of(0.5, 0.6), train.stepSeconds());
        assertEquals(40.0, train.effectiveGflops(), 1e-12);

        assertEquals(
                List.of(
                        "engine",
                        "batchSize",
                        "sentences",
                        "tokens",
                        "seconds",
                        "sentencesPerSecond",
                        "forwardGflop",
                        "effectiveGflops",
                        "fractionOfGemmPeak",
                        "taskbertOverPytorch"),
                keys(embed.withRatio(null)));
        assertTrue(JSON.valueToTree(embed.withRatio(null))
                .get("taskbertOverPytorch")
                .isNull());
        assertEquals(
                List.of(
                        "engine",
                        "pairs",
                        "maxLength",
                        "trainLayers",
                        "secondsPerStep",
                        "stepSeconds",
                        "examplesPerSecond",
                        "trainGflopPerStep",
                        "effectiveGflops",
                        "fractionOfGemmPeak",
                        "taskbertOverPytorch"),
                keys(train.withRatio(1.5)));
    }

    @Test
    void peerRatioMatchesBatchSizeOrTrainedLayers() throws Exception {
        PytorchPeer.Result embed = PytorchPeer.Result.parse("{\"engine\": \"pytorch\", \"batchSize\": 32,"
                        + " \"sentences\": 64, \"tokens\": 600, \"seconds\": 2.0, \"sentencesPerSecond\": 32.0,"
                        + " \"forwardGflop\": 100.0}")
                .rated(200);
        EmbedWorkload.Result ours = EmbedWorkload.Result.of(
                new EmbedWorkload.Measurement(EmbedWorkload.ENGINE, 32, 64, 600, 1.0, 64, 100, 900, "linux-x86_64"),
                "default",
                200);
        assertEquals(2.0, embed.taskbertOver(List.of(ours), List.of()), 1e-12);
        PytorchPeer.Result other = PytorchPeer.Result.parse("{\"batchSize\": 128, \"sentencesPerSecond\": 1.0,"
                        + " \"seconds\": 1.0, \"forwardGflop\": 1.0}")
                .rated(200);
        assertNull(other.taskbertOver(List.of(ours), List.of()));
        assertEquals(
                List.of(
                        "engine",
                        "batchSize",
                        "sentences",
                        "tokens",
                        "seconds",
                        "sentencesPerSecond",
                        "forwardGflop",
                        "peakResidentMiB",
                        "nd4jBuild",
                        "natives",
                        "effectiveGflops",
                        "fractionOfGemmPeak"),
                keys(ours));
    }

    @Test
    void trainRowFromSyntheticMetrics(@TempDir Path dir) throws Exception {
        Path metrics = dir.resolve("metrics.jsonl");
        List<String> lines = new ArrayList<>();
        double[] seconds = {9.0, 5.0, 2.0, 4.0, 3.0};
        for (int i = 0; i < seconds.length; i++) {
            lines.add(String.format(
                    java.util.Locale.ROOT,
                    "{\"step\":%d,\"loss\":0.5,\"examples\":16,\"lr\":0.001,"
                            + "\"grad_norm\":1.0,\"examples_per_second\":%.1f,\"step_seconds\":%.1f,\"train_layers\":2,"
                            + "\"encoder_seconds\":1.0,\"head_seconds\":0.1,\"gemm_seconds\":0.5,\"forward_gflop\":10.0,"
                            + "\"train_gflop\":%.1f,\"peak_rss_mib\":%.1f}",
                    i + 1,
                    16 / seconds[i],
                    seconds[i],
                    12.0 + i,
                    1000.0 + (i == 1 ? 500 : i)));
            if (i == 2) {
                lines.add("{\"step\":3,\"eval\":{\"sts\":0.5}}");
            }
        }
        lines.add("{\"step\":6,\"loss\":0.4,"); // a line being written when the run is polled
        Files.write(metrics, lines, StandardCharsets.UTF_8);
        List<StepMetrics> logged = StepMetrics.read(metrics);
        assertEquals(5, logged.size());

        TrainWorkload.Result r =
                TrainWorkload.result("configs/x.yaml", List.of("training.batch_size=8"), logged, 5, 100);
        assertEquals(List.of(2.0, 4.0, 3.0), r.stepSeconds());
        assertEquals(3.0, r.secondsPerStep(), 1e-12);
        assertEquals(2, r.trainLayers());
        assertEquals(15.0, r.trainGflopPerStep(), 1e-9);
        assertEquals((8.0 + 4.0 + 16 / 3.0) / 3, r.examplesPerSecond(), 0.05);
        assertEquals(1500.0, r.peakResidentMiB(), 1e-12);
        assertEquals(5.0, r.effectiveGflops(), 1e-9);
        assertEquals(0.05, r.fractionOfGemmPeak(), 1e-9);
        assertEquals(
                List.of(
                        "config",
                        "overrides",
                        "secondsPerStep",
                        "trainLayers",
                        "stepSeconds",
                        "examplesPerSecond",
                        "trainGflopPerStep",
                        "peakResidentMiB",
                        "effectiveGflops",
                        "fractionOfGemmPeak"),
                keys(r));
        assertThrows(IllegalArgumentException.class, () -> TrainWorkload.result("x", List.of(), logged, 6, 100));
        assertThrows(IllegalArgumentException.class, () -> TrainWorkload.result("x", List.of(), logged, 2, 100));
    }

    @Test
    void reportLeavesOutPytorchOnlyWhenNotRun() {
        BenchReport without =
                new BenchReport("b", List.of(new GemmPeak.Result("p", "s", 1.0)), 1.0, List.of(), List.of(), null);
        assertEquals(List.of("gemmNd4jBuild", "gemm", "gemmPeakGflops", "embed", "train"), keys(without));
        JsonNode with = JSON.valueToTree(new BenchReport("b", List.of(), 1.0, List.of(), List.of(), List.of()));
        assertTrue(with.has("pytorch"));
        assertEquals(List.of("path", "shape", "gflops"), keys(without.gemm().get(0)));
    }
}
