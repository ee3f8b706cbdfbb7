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
 * A training run's folder used as a model: the base model's vocabulary and config with the
 * encoder weights of the run's best checkpoint (or its latest, if it never evaluated). The folder
 * layout is defined here; the trainer's checkpoint store writes it.
 */
public final class RunFolder {

    public static final String RUN_JSON = "run.json";
    public static final String CHECKPOINTS = "checkpoints";
    public static final String LATEST = "latest";
    public static final String BEST = "best";
    public static final String WEIGHTS = "weights.safetensors";

    private RunFolder() {
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
        Path ckpt = dir.resolve(BEST);
        if (!Files.isRegularFile(ckpt.resolve(WEIGHTS))) {
            Path latest = dir.resolve(CHECKPOINTS).resolve(LATEST);
            try {
                if (!Files.isRegularFile(latest)) {
                    throw new ModelLoadException("the run " + dir + " has no checkpoint yet");
                }
                ckpt = dir.resolve(CHECKPOINTS).resolve(Files.readString(latest).trim());
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
        return new LoadedModel(dir.getFileName().toString(), new BertWeights(base.config(), weights,
                "run " + dir + " (" + ckpt.getFileName() + ")"), base.vocabFile(), base.lowerCase());
    }

    private static JsonNode runJson(Path dir) {
        try {
            return new ObjectMapper().readTree(dir.resolve(RUN_JSON).toFile());
        } catch (IOException e) {
            throw new ModelLoadException("cannot read " + dir.resolve(RUN_JSON) + ": " + e.getMessage(), e);
        }
    }
}
