package org.taskbert.model;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.taskbert.model.format.TensorBundleWriter;

/** Tiny random BERTs written to disk in both formats taskbert reads, for tests. */
public final class TinyModels {

    private TinyModels() {}

    public static List<String> vocab() {
        List<String> v = new ArrayList<>(List.of(
                "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", ".", ",", "!", "?", "the", "a", "man", "woman", "is",
                "playing", "guitar", "dog", "runs", "cat", "sleeps"));
        for (char c = 'a'; c <= 'z'; c++) {
            v.add(String.valueOf(c));
            v.add("##" + c);
        }
        return v;
    }

    public static BertConfig config() {
        return BertConfig.of(vocab().size(), 16, 2, 4, 32, 64, 2);
    }

    public static BertWeights weights(long seed, boolean pooler) {
        return RandomWeights.create(config(), seed, pooler, 0.2);
    }

    /** A Hugging Face folder: config.json, vocab.txt, tokenizer_config.json, model.safetensors. */
    public static Path writeHuggingFace(Path dir, long seed, boolean pooler) throws IOException {
        Files.createDirectories(dir);
        Path vocab = Files.write(dir.resolve("vocab.src.txt"), vocab());
        HuggingFaceFormat.save(new LoadedModel("tiny", weights(seed, pooler), vocab, true), dir);
        Files.delete(vocab);
        return dir;
    }

    /** A TensorFlow SavedModel folder as Google's BERT names it: variables/ and assets/vocab.txt. */
    public static Path writeSavedModel(Path dir, long seed, boolean pooler) throws IOException {
        Files.createDirectories(dir.resolve("variables"));
        Files.createDirectories(dir.resolve("assets"));
        Files.write(dir.resolve("assets").resolve("vocab.txt"), vocab());
        Files.writeString(
                dir.resolve("assets").resolve("bert_config.json"),
                "{\"num_attention_heads\": " + config().numHeads() + "}");
        TensorBundleWriter bundle = new TensorBundleWriter();
        for (Map.Entry<String, Tensor> e : weights(seed, pooler).all().entrySet()) {
            String hf = e.getKey();
            Tensor t = e.getValue();
            String tf = savedModelName(hf);
            Tensor stored = isKernel(hf) ? SavedModelFormat.transpose(t) : t;
            bundle.add(TensorBundleWriter.f32(tf, stored.shape(), stored.data()));
        }
        bundle.add(TensorBundleWriter.int64("global_step", 42));
        bundle.write(dir.resolve("variables"), "variables");
        return dir;
    }

    /** Whether a checkpoint weight is a dense kernel, stored transposed in a SavedModel. */
    public static boolean isKernel(String hf) {
        return hf.endsWith(".weight") && !hf.contains("embeddings") && !hf.contains("LayerNorm");
    }

    /** A Hugging Face weight name as Google's SavedModel names the variable. */
    public static String savedModelName(String hf) {
        return "module/bert/"
                + hf.replace("encoder.layer.", "encoder/layer_")
                        .replaceAll("\\.weight$", isKernel(hf) ? "/kernel" : hf.contains("LayerNorm") ? "/gamma" : "")
                        .replaceAll("\\.bias$", hf.contains("LayerNorm") ? "/beta" : "/bias")
                        .replace('.', '/');
    }
}
