package org.taskbert.export;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.taskbert.model.BertWeights;
import org.taskbert.model.HuggingFaceFormat;
import org.taskbert.model.LoadedModel;
import org.taskbert.model.Tensor;
import org.taskbert.model.format.Safetensors;
import org.taskbert.spi.Pooling;

/**
 * Writes a model as a Hugging Face BertModel folder that is also a sentence-transformers model:
 * {@code modules.json}, {@code 1_Pooling/config.json}, and for {@code pooler} a {@code 2_Dense}
 * with tanh holding the pooler's weights, so that {@code SentenceTransformer(DIR)} computes the
 * vector {@code taskbert embed} computes.
 */
public final class SentenceTransformersExport {

    /** The folder's files, relative and {@code /}-separated: all an export writes (2_Dense only for pooler). */
    public static final Set<String> FILES = Set.of(
            HuggingFaceFormat.CONFIG,
            HuggingFaceFormat.VOCAB,
            HuggingFaceFormat.TOKENIZER_CONFIG,
            HuggingFaceFormat.WEIGHTS,
            "sentence_bert_config.json",
            "modules.json",
            "1_Pooling/config.json",
            "2_Dense/config.json",
            "2_Dense/model.safetensors",
            "taskbert.json");

    private static final ObjectMapper JSON = new ObjectMapper();

    private SentenceTransformersExport() {}

    /** Fails for a pooling sentence-transformers cannot compute. */
    public static void checkPooling(Pooling pooling) {
        if (pooling == Pooling.FIRST_LAST_AVG || pooling == Pooling.PROMPT) {
            throw new IllegalArgumentException(
                    "sentence-transformers has no " + pooling.id() + " pooling; export one of cls, pooler, mean, max");
        }
    }

    /**
     * Writes the folder's {@link #FILES} into {@code dir} (created if missing), over any of them already there; files
     * of an earlier export that this one does not write (an old {@code 2_Dense/}) are the caller's to clear.
     */
    public static void write(LoadedModel model, Pooling pooling, int maxLength, Path dir) throws IOException {
        checkPooling(pooling);
        Map<String, Tensor> bertModel = new LinkedHashMap<>();
        model.weights().all().forEach((k, v) -> {
            if (k.startsWith("embeddings.") || k.startsWith("encoder.") || k.startsWith("pooler.")) {
                bertModel.put(k, v);
            }
        });
        LoadedModel clean = new LoadedModel(
                model.name(),
                new BertWeights(model.config(), bertModel, model.weights().source()),
                model.vocabFile(),
                model.lowerCase());
        HuggingFaceFormat.save(clean, dir);

        int h = model.config().hiddenSize();
        List<Map<String, Object>> modules = new java.util.ArrayList<>();
        modules.add(module(0, "", "sentence_transformers.models.Transformer"));
        modules.add(module(1, "1_Pooling", "sentence_transformers.models.Pooling"));
        json(dir.resolve("sentence_bert_config.json"), Map.of("max_seq_length", maxLength, "do_lower_case", false));
        Map<String, Object> poolingConfig = new LinkedHashMap<>();
        poolingConfig.put("word_embedding_dimension", h);
        poolingConfig.put("pooling_mode_cls_token", pooling == Pooling.CLS || pooling.needsPooler());
        poolingConfig.put("pooling_mode_mean_tokens", pooling == Pooling.MEAN);
        poolingConfig.put("pooling_mode_max_tokens", pooling == Pooling.MAX);
        poolingConfig.put("pooling_mode_mean_sqrt_len_tokens", false);
        Files.createDirectories(dir.resolve("1_Pooling"));
        json(dir.resolve("1_Pooling").resolve("config.json"), poolingConfig);
        if (pooling.needsPooler()) {
            Path dense = dir.resolve("2_Dense");
            Files.createDirectories(dense);
            Map<String, Object> denseConfig = new LinkedHashMap<>();
            denseConfig.put("in_features", h);
            denseConfig.put("out_features", h);
            denseConfig.put("bias", true);
            denseConfig.put(
                    "activation_function",
                    pooling == Pooling.POOLER
                            ? "torch.nn.modules.activation.Tanh"
                            : "torch.nn.modules.linear.Identity");
            json(dense.resolve("config.json"), denseConfig);
            Map<String, Tensor> linear = new LinkedHashMap<>();
            linear.put("linear.weight", model.weights().require(BertWeights.POOLER_WEIGHT, h, h));
            linear.put("linear.bias", model.weights().require(BertWeights.POOLER_BIAS, h));
            Safetensors.write(dense.resolve("model.safetensors"), linear, Map.of("format", "pt"));
            modules.add(module(2, "2_Dense", "sentence_transformers.models.Dense"));
        }
        json(dir.resolve("modules.json"), modules);
        json(
                dir.resolve("taskbert.json"),
                Map.of(
                        "pooling",
                        pooling.id(),
                        "hidden_act",
                        model.config().hiddenAct() == org.taskbert.model.BertConfig.Activation.GELU
                                ? "gelu"
                                : "gelu_new",
                        "source",
                        model.weights().source()));
    }

    /** Whether {@code dir} holds an export's {@code taskbert.json} (the file no other tool writes). */
    public static boolean isExport(Path dir) {
        try {
            JsonNode node = JSON.readTree(dir.resolve("taskbert.json").toFile());
            return node.isObject()
                    && node.path("pooling").isTextual()
                    && node.path("source").isTextual();
        } catch (IOException e) {
            return false;
        }
    }

    private static Map<String, Object> module(int idx, String path, String type) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("idx", idx);
        m.put("name", String.valueOf(idx));
        m.put("path", path);
        m.put("type", type);
        return m;
    }

    private static void json(Path file, Object value) throws IOException {
        JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), value);
    }
}
