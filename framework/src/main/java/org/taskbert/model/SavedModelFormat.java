package org.taskbert.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.taskbert.model.format.TensorBundleReader;

/**
 * Google's BERT as a TensorFlow SavedModel folder ({@code variables/}, {@code assets/vocab.txt}),
 * read into {@link BertWeights} under Hugging Face names. TF variable names map as
 * {@code [module/]bert/encoder/layer_3/attention/self/query/kernel} → {@code
 * encoder.layer.3.attention.self.query.weight}; kernels are transposed to [out, in].
 */
public final class SavedModelFormat {

    private static final Pattern LAYER = Pattern.compile("layer_(\\d+)");

    private SavedModelFormat() {}

    public static boolean isSavedModel(Path dir) {
        return Files.isRegularFile(dir.resolve("variables").resolve("variables.index"));
    }

    public static LoadedModel load(Path dir, String name) {
        Path variables = dir.resolve("variables");
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        try (TensorBundleReader reader = TensorBundleReader.open(variables)) {
            for (String tf : reader.names()) {
                TensorBundleReader.Entry entry = reader.entry(tf);
                if (hfName(tf) != null && !entry.isFloat()) {
                    throw new ModelLoadException("variable '" + tf + "' in " + variables + " is " + entry
                            + (entry.slices() > 0 ? " in " + entry.slices() + " slices" : "")
                            + "; BERT's weights are whole DT_FLOAT, DT_HALF or DT_BFLOAT16 tensors");
                }
            }
            Map<String, String> from = new LinkedHashMap<>();
            for (Map.Entry<String, Tensor> e :
                    reader.readAllFloat(n -> hfName(n) != null).entrySet()) {
                String tf = e.getKey();
                Tensor t = e.getValue();
                String hf = hfName(tf);
                String earlier = from.put(hf, tf);
                if (earlier != null) {
                    throw new ModelLoadException("variables '" + earlier + "' and '" + tf + "' in " + variables
                            + " are both BERT's '" + hf + "'");
                }
                boolean kernel = tf.endsWith("/kernel");
                if (kernel && t.rank() != 2) {
                    throw new ModelLoadException("variable '" + tf + "' in " + variables + " has shape "
                            + java.util.Arrays.toString(t.shape()) + "; a dense kernel is a matrix [in, out]");
                }
                tensors.put(hf, kernel ? transpose(t) : t);
            }
        } catch (IOException e) {
            throw new ModelLoadException(
                    "cannot read the SavedModel variables in " + variables + ": " + e.getMessage(), e);
        }
        Path vocab = dir.resolve("assets").resolve("vocab.txt");
        boolean lowerCase = Casing.ofSavedModel(dir.resolve("assets").resolve("model.json"), vocab);
        Path configFile = bertConfigFile(dir);
        JsonNode configJson = bertConfigJson(configFile);
        BertConfig config;
        try {
            config = inferConfig(tensors, variables, heads(configFile, configJson));
        } catch (IllegalArgumentException e) {
            throw new ModelLoadException(
                    "the SavedModel in " + dir + " implies a bad BERT config (sizes from its"
                            + " weights, num_attention_heads from bert_config.json): " + e.getMessage(),
                    e);
        }
        agrees(configFile, configJson, config);
        return new LoadedModel(name, new BertWeights(config, tensors, "SavedModel " + dir), vocab, lowerCase);
    }

    /** The Hugging Face name of a TF variable, or null for variables BERT does not use (optimizer slots, step). */
    static String hfName(String tf) {
        int at = tf.indexOf("bert/");
        String rest;
        if (at >= 0 && (at == 0 || tf.charAt(at - 1) == '/')) {
            rest = tf.substring(at + "bert/".length());
        } else if (tf.startsWith("cls/") || tf.contains("/cls/")) {
            rest = tf.substring(tf.indexOf("cls/"));
            if (rest.equals("cls/predictions/output_bias")) {
                return "cls.predictions.bias";
            }
            if (rest.equals("cls/seq_relationship/output_weights")) {
                return "cls.seq_relationship.weight";
            }
            if (rest.equals("cls/seq_relationship/output_bias")) {
                return "cls.seq_relationship.bias";
            }
        } else {
            return null;
        }
        if (rest.contains("adam_") || rest.contains("Adam")) {
            return null;
        }
        Matcher m = LAYER.matcher(rest);
        rest = m.replaceAll("layer.$1");
        if (rest.startsWith("embeddings/") && rest.endsWith("_embeddings")) {
            return rest.replace('/', '.') + ".weight";
        }
        if (rest.endsWith("/kernel") || rest.endsWith("/gamma")) {
            return rest.substring(0, rest.lastIndexOf('/')).replace('/', '.') + ".weight";
        }
        if (rest.endsWith("/bias") || rest.endsWith("/beta")) {
            return rest.substring(0, rest.lastIndexOf('/')).replace('/', '.') + ".bias";
        }
        return null;
    }

    /**
     * Sizes come from the weights. The head count is not in the weights: it comes from a
     * {@code bert_config.json} beside the model (Google's name), else from BERT's 64-wide heads.
     * The activation is the exact GELU either way (see {@link BertConfig.Activation}).
     */
    private static BertConfig inferConfig(Map<String, Tensor> t, Path where, int heads) {
        String words = "embeddings.word_embeddings.weight";
        int hidden = dim(t, words, 1, where);
        int layers = 0;
        while (t.containsKey(BertWeights.layer(layers, "attention.self.query.weight"))) {
            layers++;
        }
        if (layers == 0) {
            throw new ModelLoadException("no transformer layers (encoder/layer_0/...) in " + where);
        }
        return BertConfig.of(
                dim(t, words, 0, where),
                hidden,
                layers,
                heads > 0 ? heads : Math.max(1, hidden / 64),
                dim(t, BertWeights.layer(0, "intermediate.dense.weight"), 0, where),
                dim(t, "embeddings.position_embeddings.weight", 0, where),
                dim(t, "embeddings.token_type_embeddings.weight", 0, where));
    }

    /** Size {@code d} of a matrix the config is read from; {@link BertLayout} checks every tensor after. */
    private static int dim(Map<String, Tensor> t, String name, int d, Path where) {
        Tensor x = required(t, name, where);
        if (x.rank() != 2) {
            throw new ModelLoadException("variable for '" + name + "' in " + where + " has shape "
                    + java.util.Arrays.toString(x.shape()) + ", expected a matrix");
        }
        return Math.toIntExact(x.size(d)); // a float[] holds the values, so each size fits an int
    }

    /** Google's {@code bert_config.json} beside the model, or in its assets; null when there is none. */
    private static Path bertConfigFile(Path dir) {
        for (Path p : new Path[] {
            dir.resolve("bert_config.json"), dir.resolve("assets").resolve("bert_config.json")
        }) {
            if (Files.isRegularFile(p)) {
                return p;
            }
        }
        return null;
    }

    private static JsonNode bertConfigJson(Path file) {
        if (file == null) {
            return null;
        }
        try {
            JsonNode n = new ObjectMapper().readTree(file.toFile());
            if (n == null || !n.isObject()) {
                throw new ModelLoadException("cannot parse " + file + ": not a JSON object");
            }
            return n;
        } catch (IOException e) {
            throw new ModelLoadException("cannot parse " + file + ": " + e.getMessage(), e);
        }
    }

    /** The head count of bert_config.json, or 0 when it does not say; a value that is not a count is refused. */
    private static int heads(Path file, JsonNode json) {
        JsonNode n = json == null ? null : json.get("num_attention_heads");
        if (n == null) {
            return 0;
        }
        if (!n.canConvertToInt() || !n.isIntegralNumber() || n.asInt() <= 0) {
            throw new ModelLoadException("num_attention_heads in " + file + " must be a positive integer, got " + n);
        }
        return n.asInt();
    }

    /** The sizes bert_config.json states must be those the weights have. */
    private static void agrees(Path file, JsonNode json, BertConfig fromWeights) {
        if (json == null) {
            return;
        }
        Map<String, Integer> sizes = new LinkedHashMap<>();
        sizes.put("vocab_size", fromWeights.vocabSize());
        sizes.put("hidden_size", fromWeights.hiddenSize());
        sizes.put("num_hidden_layers", fromWeights.numLayers());
        sizes.put("intermediate_size", fromWeights.intermediateSize());
        sizes.put("max_position_embeddings", fromWeights.maxPositions());
        sizes.put("type_vocab_size", fromWeights.typeVocabSize());
        sizes.forEach((field, weights) -> {
            JsonNode n = json.get(field);
            if (n != null && !(n.isIntegralNumber() && n.canConvertToInt() && n.asInt() == weights)) {
                throw new ModelLoadException(
                        field + " in " + file + " is " + n + ", but the weights of the SavedModel have " + weights);
            }
        });
    }

    private static Tensor required(Map<String, Tensor> t, String name, Path where) {
        Tensor x = t.get(name);
        if (x == null) {
            throw new ModelLoadException("the SavedModel in " + where + " has no variable for '" + name + "'");
        }
        return x;
    }

    static Tensor transpose(Tensor t) {
        int rows = (int) t.size(0);
        int cols = (int) t.size(1);
        float[] src = t.data();
        float[] dst = new float[src.length];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                dst[c * rows + r] = src[r * cols + c];
            }
        }
        return new Tensor(new long[] {cols, rows}, dst);
    }
}
