package org.taskbert.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.taskbert.model.format.Safetensors;

/**
 * A training run's folder: its layout, defined here and nowhere else, and the run used as a model (the base model's
 * vocabulary and config with the encoder weights of the run's best checkpoint, or its latest if it never evaluated).
 *
 * <pre>
 * RUN/config.yaml                  the config as run (file and --set overrides merged)
 * RUN/run.json                     base_model and pooling, for embed, export and compare
 * RUN/metrics.jsonl                one line a step ({@code StepMetrics}) and one an evaluation
 * RUN/checkpoints/step-00000100/   weights.safetensors, optimizer.safetensors, state.json
 * RUN/checkpoints/latest           names the newest complete checkpoint
 * RUN/best/                        a copy of the best checkpoint
 * </pre>
 */
public final class RunFolder {

    public static final String CONFIG_YAML = "config.yaml";
    public static final String RUN_JSON = "run.json";
    public static final String METRICS = "metrics.jsonl";
    public static final String CHECKPOINTS = "checkpoints";
    public static final String LATEST = "latest";
    public static final String BEST = "best";
    public static final String WEIGHTS = "weights.safetensors";
    public static final String OPTIMIZER = "optimizer.safetensors";
    public static final String STATE = "state.json";

    private RunFolder() {}

    public static Path configFile(Path run) {
        return run.resolve(CONFIG_YAML);
    }

    public static Path metricsFile(Path run) {
        return run.resolve(METRICS);
    }

    public static Path checkpoints(Path run) {
        return run.resolve(CHECKPOINTS);
    }

    public static Path latestFile(Path run) {
        return checkpoints(run).resolve(LATEST);
    }

    public static Path best(Path run) {
        return run.resolve(BEST);
    }

    /** The folder name of the checkpoint of a step: {@code step-00000100}. */
    public static String checkpointName(long step) {
        if (step < 0) {
            throw new IllegalArgumentException("step must be >= 0, got " + step);
        }
        return String.format(java.util.Locale.ROOT, "step-%08d", step);
    }

    public static boolean isRun(Path dir) {
        return Files.isRegularFile(dir.resolve(RUN_JSON));
    }

    /** The pooling the run trained (the vector its export produces). */
    public static String pooling(Path dir) {
        return runJson(dir).path("pooling").asText();
    }

    public static LoadedModel load(Path dir) {
        LoadedModel base = Models.load(runJson(dir).path("base_model").asText());
        Path ckpt = best(dir);
        if (!Files.isRegularFile(ckpt.resolve(WEIGHTS))) {
            Path latest = latestFile(dir);
            try {
                if (!Files.isRegularFile(latest)) {
                    throw new ModelLoadException("the run " + dir + " has no checkpoint yet");
                }
                ckpt = checkpoints(dir).resolve(Files.readString(latest).trim());
            } catch (IOException e) {
                throw new ModelLoadException("cannot read " + latest + ": " + e.getMessage(), e);
            }
        }
        Map<String, Tensor> weights = new LinkedHashMap<>();
        try {
            Safetensors.read(ckpt.resolve(WEIGHTS)).forEach((k, v) -> {
                if (!k.startsWith("head.")) {
                    weights.put(k, v);
                }
            });
        } catch (IOException e) {
            throw new ModelLoadException("cannot read " + ckpt.resolve(WEIGHTS) + ": " + e.getMessage(), e);
        }
        return new LoadedModel(
                dir.getFileName().toString(),
                new BertWeights(base.config(), weights, "run " + dir + " (" + ckpt.getFileName() + ")"),
                base.vocabFile(),
                base.lowerCase());
    }

    private static JsonNode runJson(Path dir) {
        try {
            return new ObjectMapper().readTree(dir.resolve(RUN_JSON).toFile());
        } catch (IOException e) {
            throw new ModelLoadException("cannot read " + dir.resolve(RUN_JSON) + ": " + e.getMessage(), e);
        }
    }
}
