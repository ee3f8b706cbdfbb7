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
            for (Map.Entry<String, Tensor> e :
                    reader.readAllFloat(n -> hfName(n) != null).entrySet()) {
                String tf = e.getKey();
                Tensor t = e.getValue();
                tensors.put(hfName(tf), tf.endsWith("/kernel") ? transpose(t) : t);
            }
        } catch (IOException e) {
            throw new ModelLoadException(
                    "cannot read the SavedModel variables in " + variables + ": " + e.getMessage(), e);
        }
        Path vocab = dir.resolve("assets").resolve("vocab.txt");
        boolean lowerCase = lowerCase(dir.resolve("assets").resolve("model.json"), name);
        BertConfig config = inferConfig(tensors, variables, heads(dir));
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
        Tensor words = required(t, "embeddings.word_embeddings.weight", where);
        int hidden = (int) words.size(1);
        int layers = 0;
        while (t.containsKey(BertWeights.layer(layers, "attention.self.query.weight"))) {
            layers++;
        }
        if (layers == 0) {
            throw new ModelLoadException("no transformer layers (encoder/layer_0/...) in " + where);
        }
        int intermediate = (int) required(t, BertWeights.layer(0, "intermediate.dense.weight"), where)
                .size(0);
        return BertConfig.of(
                (int) words.size(0),
                hidden,
                layers,
                heads > 0 ? heads : Math.max(1, hidden / 64),
                intermediate,
                (int) required(t, "embeddings.position_embeddings.weight", where)
                        .size(0),
                (int) required(t, "embeddings.token_type_embeddings.weight", where)
                        .size(0));
    }

    private static int heads(Path dir) {
        for (Path p : new Path[] {
            dir.resolve("bert_config.json"), dir.resolve("assets").resolve("bert_config.json")
        }) {
            if (Files.isRegularFile(p)) {
                try {
                    return new ObjectMapper()
                            .readTree(p.toFile())
                            .path("num_attention_heads")
                            .asInt(0);
                } catch (IOException e) {
                    throw new ModelLoadException("cannot parse " + p + ": " + e.getMessage(), e);
                }
            }
        }
        return 0;
    }

    private static Tensor required(Map<String, Tensor> t, String name, Path where) {
        Tensor x = t.get(name);
        if (x == null) {
            throw new ModelLoadException("the SavedModel in " + where + " has no variable for '" + name + "'");
        }
        return x;
    }

    private static boolean lowerCase(Path modelJson, String name) {
        if (Files.isRegularFile(modelJson)) {
            try {
                JsonNode n = new ObjectMapper().readTree(modelJson.toFile());
                if (n.has("doLowerCase")) {
                    return n.get("doLowerCase").asBoolean();
                }
            } catch (IOException e) {
                throw new ModelLoadException("cannot parse " + modelJson + ": " + e.getMessage(), e);
            }
        }
        return !name.contains("cased") || name.contains("uncased");
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
