package org.taskbert.train;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * One training step's line of {@code metrics.jsonl}: what {@code bench}, the tests and a reader of the run see.
 * Where the step went: the encoder (forward and backward; {@code gemm_seconds} of it inside GEMMs), the head graph
 * (SameDiff), the rest (clipping, AdamW).
 */
public record StepMetrics(
        @JsonProperty("step") long step,
        @JsonProperty("loss") double loss,
        @JsonProperty("examples") int examples,
        @JsonProperty("lr") double lr,
        @JsonProperty("grad_norm") double gradNorm,
        @JsonProperty("examples_per_second") double examplesPerSecond,
        @JsonProperty("step_seconds") double stepSeconds,
        @JsonProperty("train_layers") int trainLayers,
        @JsonProperty("encoder_seconds") double encoderSeconds,
        @JsonProperty("head_seconds") double headSeconds,
        @JsonProperty("gemm_seconds") double gemmSeconds,
        @JsonProperty("forward_gflop") double forwardGflop,
        @JsonProperty("train_gflop") double trainGflop,
        @JsonProperty("peak_rss_mib") double peakRssMib) {

    private static final ObjectMapper JSON =
            new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    /** The step lines of a run's {@code metrics.jsonl}, in order (its evaluation lines are left out). */
    public static List<StepMetrics> read(Path metricsFile) throws IOException {
        List<StepMetrics> out = new ArrayList<>();
        long line = 0;
        for (String text : Files.readAllLines(metricsFile, StandardCharsets.UTF_8)) {
            line++;
            if (text.isBlank()) {
                continue;
            }
            JsonNode n;
            try {
                n = JSON.readTree(text);
            } catch (IOException e) {
                // a line being written when a run is polled, or cut by a kill: the last one only
                continue;
            }
            if (n.has("step_seconds")) {
                try {
                    out.add(JSON.treeToValue(n, StepMetrics.class));
                } catch (IOException e) {
                    throw new IOException(metricsFile + ":" + line + ": not a step line: " + e.getMessage(), e);
                }
            }
        }
        return out;
    }

    String toJson() throws IOException {
        return JSON.writeValueAsString(this);
    }
}
