package org.taskbert.model;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.taskbert.model.format.Safetensors;

/**
 * A Hugging Face BERT folder: {@code config.json}, {@code vocab.txt}, {@code model.safetensors}
 * (float32, float16 or bfloat16). Names may carry the {@code bert.} prefix of BertFor* models.
 */
public final class HuggingFaceFormat {

    public static final String CONFIG = "config.json";
    public static final String WEIGHTS = "model.safetensors";
    public static final String VOCAB = "vocab.txt";
    public static final String TOKENIZER_CONFIG = "tokenizer_config.json";

    /** Strict for what a hand-edited config.json gets wrong: a key given twice, a size given as a fraction. */
    private static final ObjectMapper JSON = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .disable(DeserializationFeature.ACCEPT_FLOAT_AS_INT)
            .build();

    /** The sizes a config.json must state: without them no tensor's shape is known. */
    private static final List<String> SIZES = List.of(
            "vocab_size",
            "hidden_size",
            "num_hidden_layers",
            "num_attention_heads",
            "intermediate_size",
            "max_position_embeddings",
            "type_vocab_size");

    private HuggingFaceFormat() {}

    public static boolean isHuggingFace(Path dir) {
        return Files.isRegularFile(dir.resolve(CONFIG)) && Files.isRegularFile(dir.resolve(WEIGHTS));
    }

    public static LoadedModel load(Path dir, String name) {
        Path configFile = dir.resolve(CONFIG);
        BertConfig config;
        try {
            JsonNode json = JSON.readTree(configFile.toFile());
            for (String size : SIZES) {
                if (json == null || !json.has(size)) {
                    throw new ModelLoadException("the BERT config " + configFile + " has no " + size);
                }
            }
            config = JSON.treeToValue(json, BertConfig.class);
        } catch (IOException | IllegalArgumentException e) {
            throw new ModelLoadException("cannot read the BERT config " + configFile + ": " + reason(e), e);
        }
        Path weights = dir.resolve(WEIGHTS);
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, Tensor> e : Safetensors.read(weights).entrySet()) {
                String n = e.getKey().startsWith("bert.") ? e.getKey().substring(5) : e.getKey();
                String hf = legacyLayerNormName(n);
                if (tensors.put(hf, e.getValue()) != null) {
                    throw new ModelLoadException(
                            "the file " + weights + " holds tensor '" + hf + "' twice (with and without the"
                                    + " 'bert.' prefix, or as LayerNorm gamma/beta and weight/bias)");
                }
            }
        } catch (IOException e) {
            throw new ModelLoadException("cannot read " + weights + ": " + e.getMessage(), e);
        }
        Path vocab = dir.resolve(VOCAB);
        if (!Files.isRegularFile(vocab)) {
            throw new ModelLoadException("the model folder " + dir + " has no " + VOCAB);
        }
        return new LoadedModel(
                name,
                new BertWeights(config, tensors, weights.toString()),
                vocab,
                Casing.ofHuggingFace(dir.resolve(TOKENIZER_CONFIG), vocab));
    }

    /**
     * Writes {@code model} as a Hugging Face BertModel folder (config.json, vocab.txt,
     * tokenizer_config.json, model.safetensors in float32). The config names the activation used.
     */
    public static void save(LoadedModel model, Path dir) throws IOException {
        Files.createDirectories(dir);
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("architectures", List.of("BertModel"));
        config.put("model_type", "bert");
        config.putAll(JSON.convertValue(model.config(), Map.class));
        writeJson(dir.resolve(CONFIG), config);
        Files.copy(model.vocabFile(), dir.resolve(VOCAB), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Map<String, Object> tokenizer = new LinkedHashMap<>();
        tokenizer.put("tokenizer_class", "BertTokenizer");
        tokenizer.put("do_lower_case", model.lowerCase());
        tokenizer.put("model_max_length", model.config().maxPositions());
        writeJson(dir.resolve(TOKENIZER_CONFIG), tokenizer);
        Safetensors.write(dir.resolve(WEIGHTS), model.weights().all(), Map.of("format", "pt"));
    }

    private static void writeJson(Path file, Object value) throws IOException {
        JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), value);
    }

    /** What was wrong with config.json, without Jackson's wrapping and source excerpt. */
    private static String reason(Exception e) {
        if (e instanceof ValueInstantiationException v && v.getCause() != null) {
            return v.getCause().getMessage();
        }
        return e instanceof JsonProcessingException j ? j.getOriginalMessage() : e.getMessage();
    }

    /** Old PyTorch BERT checkpoints name LayerNorm's parameters gamma and beta. */
    private static String legacyLayerNormName(String n) {
        if (n.endsWith("LayerNorm.gamma")) {
            return n.substring(0, n.length() - "gamma".length()) + "weight";
        }
        if (n.endsWith("LayerNorm.beta")) {
            return n.substring(0, n.length() - "beta".length()) + "bias";
        }
        return n;
    }
}
