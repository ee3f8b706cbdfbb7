package org.taskbert.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.taskbert.model.HandMadeModels.QUERY;
import static org.taskbert.model.HandMadeModels.WORDS;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taskbert.cli.CliRun;
import org.taskbert.model.format.Safetensors;
import org.taskbert.model.format.TensorBundleWriter;

/**
 * Models checked at load (issue 15, rows 1 and 6): every tensor against the config, every value finite, the config
 * itself field by field; whichever loader read the weights.
 */
class ModelChecksTest {

    @TempDir
    Path tmp;

    private static void assertContains(String message, String... parts) {
        for (String part : parts) {
            assertTrue(message.contains(part), "'" + part + "' not in: " + message);
        }
    }

    private ModelLoadException refused(Path model) {
        return assertThrows(ModelLoadException.class, () -> Models.load(model.toString()));
    }

    @Test
    void theHandMadeModelLoadsWhenItsShapesAreRight() throws IOException {
        LoadedModel m =
                Models.load(HandMadeModels.write(tmp.resolve("ok"), t -> {}).toString());
        assertEquals(HandMadeModels.config().shape(), m.config().shape());
        assertTrue(m.weights().hasPooler());
    }

    @Test
    void aWordTableWiderThanTheConfigNamesTheTensorBothShapesAndTheFile() throws IOException {
        Path dir = HandMadeModels.write(tmp.resolve("wide"), t -> t.put(WORDS, HandMadeModels.random(20, 16)));
        assertContains(
                refused(dir).getMessage(),
                "'" + WORDS + "'",
                "[20, 16]",
                "[20, 8] = [vocab_size, hidden_size]",
                dir.resolve(HuggingFaceFormat.WEIGHTS).toString());
    }

    @Test
    void aQueryWeightOfTheWrongShapeIsRefusedAtLoad() throws IOException {
        Path dir = HandMadeModels.write(tmp.resolve("q"), t -> t.put(QUERY, HandMadeModels.random(8, 4)));
        assertContains(refused(dir).getMessage(), "'" + QUERY + "'", "[8, 4]", "expected [8, 8]");
    }

    @Test
    void aTransposedIntermediateKernelIsRefused() throws IOException {
        String name = BertWeights.layer(0, "intermediate.dense.weight");
        Path dir = HandMadeModels.write(tmp.resolve("t"), t -> t.put(name, HandMadeModels.random(8, 16)));
        assertContains(
                refused(dir).getMessage(), "'" + name + "'", "[8, 16]", "[16, 8] = [intermediate_size, hidden_size]");
    }

    @Test
    void aBiasOfTheWrongRankIsRefused() throws IOException {
        String name = BertWeights.layer(0, "output.LayerNorm.bias");
        Path dir = HandMadeModels.write(tmp.resolve("r"), t -> t.put(name, HandMadeModels.random(1, 8)));
        assertContains(refused(dir).getMessage(), "'" + name + "'", "[1, 8]", "expected [8]");
    }

    @Test
    void aMissingTensorIsNamed() throws IOException {
        String name = BertWeights.layer(0, "attention.self.value.bias");
        Path dir = HandMadeModels.write(tmp.resolve("m"), t -> t.remove(name));
        assertContains(refused(dir).getMessage(), "no tensor '" + name + "'", "expected shape [8]");
    }

    @Test
    void halfAPoolerIsRefused() throws IOException {
        Path dir = HandMadeModels.write(tmp.resolve("p"), t -> t.remove(BertWeights.POOLER_BIAS));
        assertContains(refused(dir).getMessage(), "half a pooler", "'" + BertWeights.POOLER_BIAS + "'");
    }

    @Test
    void aPoolerOrPreTrainingHeadOfTheWrongShapeIsRefused() throws IOException {
        Path pooler = HandMadeModels.write(
                tmp.resolve("p"), t -> t.put(BertWeights.POOLER_WEIGHT, HandMadeModels.random(8, 16)));
        assertContains(refused(pooler).getMessage(), "'" + BertWeights.POOLER_WEIGHT + "'", "[8, 16]");
        Path nsp = HandMadeModels.write(
                tmp.resolve("nsp"), t -> t.put("cls.seq_relationship.weight", HandMadeModels.random(3, 8)));
        assertContains(refused(nsp).getMessage(), "'cls.seq_relationship.weight'", "[3, 8]", "expected [2, 8]");
    }

    @Test
    void layersBeyondTheConfigAreRefused() throws IOException {
        String extra = BertWeights.layer(1, "output.dense.bias");
        Path dir = HandMadeModels.write(tmp.resolve("l"), t -> t.put(extra, HandMadeModels.random(8)));
        assertContains(refused(dir).getMessage(), "'" + extra + "'", "num_hidden_layers 1");
    }

    @Test
    void aNanInAFloat16TensorIsRefusedNamingTheTensorAndTheElement() throws IOException {
        String name = BertWeights.layer(0, "output.dense.weight");
        Path dir = HandMadeModels.writeF16(tmp.resolve("nan"), t -> t.get(name).data()[16 * 2 + 5] = Float.NaN);
        assertContains(
                refused(dir).getMessage(),
                "'" + name + "'",
                "1 value that is NaN or infinite",
                "at [2, 5]",
                dir.resolve(HuggingFaceFormat.WEIGHTS).toString());
    }

    @Test
    void float16WeightsWithoutNanLoad() throws IOException {
        LoadedModel m =
                Models.load(HandMadeModels.writeF16(tmp.resolve("f16"), t -> {}).toString());
        assertEquals(HandMadeModels.config().shape(), m.config().shape());
    }

    @Test
    void anInfinityInAFloat32TensorIsRefused() throws IOException {
        Path dir = HandMadeModels.write(tmp.resolve("inf"), t -> {
            t.get(WORDS).data()[3] = Float.POSITIVE_INFINITY;
            t.get(WORDS).data()[7] = Float.NEGATIVE_INFINITY;
        });
        assertContains(refused(dir).getMessage(), "'" + WORDS + "'", "2 values that are NaN or infinite", "Infinity");
    }

    @Test
    void theBlockwiseScanFindsTheFirstNonFiniteValueAnywhere() {
        float[] data = new float[3 * 4096 + 17];
        java.util.Arrays.fill(data, -Float.MAX_VALUE);
        assertEquals(-1, BertLayout.firstNonFinite(data));
        for (int at : new int[] {0, 4095, 4096, 2 * 4096 + 3, data.length - 1}) {
            for (float bad : new float[] {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY}) {
                float[] copy = data.clone();
                copy[at] = bad;
                copy[data.length - 1] = Float.NaN;
                assertEquals(at, BertLayout.firstNonFinite(copy), at + " " + bad);
            }
        }
        assertEquals(-1, BertLayout.firstNonFinite(new float[] {Float.MIN_VALUE, -0f, Float.MAX_VALUE}));
    }

    /** Row 6: embed once wrote all-NaN vectors and exited 0. */
    @Test
    void embedOnAFloat16ModelWithANanFailsAndWritesNothing() throws IOException {
        Path dir = HandMadeModels.writeF16(tmp.resolve("nan"), t -> t.get(WORDS).data()[0] = Float.NaN);
        Path in = Files.write(tmp.resolve("in.txt"), List.of("the man is playing guitar"));
        Path out = tmp.resolve("out.jsonl");
        CliRun.Result r = CliRun.run("embed", "--model", dir.toString(), "-i", in.toString(), "-o", out.toString());
        assertEquals(1, r.code(), r.err());
        assertContains(r.err(), "'" + WORDS + "'", "NaN");
        assertFalse(Files.exists(out), "vectors written from a NaN model");
    }

    @Test
    void aVocabularyLongerThanTheWordTableIsRefused() throws IOException {
        Path dir = HandMadeModels.write(tmp.resolve("v"), t -> {});
        Files.write(dir.resolve(HuggingFaceFormat.VOCAB), TinyModels.vocab());
        assertContains(
                refused(dir).getMessage(),
                dir.resolve(HuggingFaceFormat.VOCAB).toString(),
                TinyModels.vocab().size() + " tokens",
                "vocab_size 20");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The config, field by field

    @Test
    void aHiddenSizeNotDivisibleByTheHeadsNamesBothFields() throws IOException {
        Path dir = HandMadeModels.write(tmp.resolve("h"), t -> {}, HandMadeModels.configJson(20, 8, 3));
        assertContains(
                refused(dir).getMessage(),
                dir.resolve(HuggingFaceFormat.CONFIG).toString(),
                "hidden_size 8 must be a multiple of num_attention_heads 3");
    }

    @Test
    void aNonPositiveOrMissingSizeNamesTheField() throws IOException {
        Path zero = HandMadeModels.write(tmp.resolve("z"), t -> {}, HandMadeModels.configJson(0, 8, 2));
        assertContains(refused(zero).getMessage(), "vocab_size must be positive, got 0");
        Path missing = HandMadeModels.write(
                tmp.resolve("m"),
                t -> {},
                HandMadeModels.configJson(20, 8, 2).replace("\"type_vocab_size\": 2", "\"other\": 1"));
        assertContains(refused(missing).getMessage(), "type_vocab_size");
    }

    @Test
    void aSizeGivenAsAFractionOrTwiceIsRefused() throws IOException {
        Path fraction = HandMadeModels.write(
                tmp.resolve("f"),
                t -> {},
                HandMadeModels.configJson(20, 8, 2).replace("\"hidden_size\": 8", "\"hidden_size\": 8.5"));
        assertContains(refused(fraction).getMessage(), HuggingFaceFormat.CONFIG, "8.5");
        Path twice = HandMadeModels.write(
                tmp.resolve("d"),
                t -> {},
                HandMadeModels.configJson(20, 8, 2)
                        .replace("\"hidden_size\": 8", "\"hidden_size\": 8, \"hidden_size\": 16"));
        assertContains(refused(twice).getMessage(), "Duplicate field 'hidden_size'");
    }

    @Test
    void aNanLayerNormEpsilonOrADropoutOfOneIsRefused() {
        var eps = assertThrows(
                IllegalArgumentException.class,
                () -> new BertConfig(20, 8, 1, 2, 16, 16, 2, Double.NaN, null, 0.1, 0.1));
        assertContains(eps.getMessage(), "layer_norm_eps");
        var dropout = assertThrows(
                IllegalArgumentException.class, () -> new BertConfig(20, 8, 1, 2, 16, 16, 2, 1e-12, null, 1.0, 0.1));
        assertContains(dropout.getMessage(), "hidden_dropout_prob");
    }

    // ---------------------------------------------------------------------------------------------------------------
    // The other loaders go through the same check

    @Test
    void aSavedModelWithAWrongShapeOrADisagreeingBertConfigIsRefused() throws IOException {
        Path dir = TinyModels.writeSavedModel(tmp.resolve("tf"), 5, true);
        Files.writeString(dir.resolve("assets/bert_config.json"), "{\"num_attention_heads\": 4, \"hidden_size\": 32}");
        assertContains(refused(dir).getMessage(), "hidden_size", "bert_config.json", "16");

        Files.writeString(dir.resolve("assets/bert_config.json"), "{\"num_attention_heads\": 5}");
        assertContains(refused(dir).getMessage(), "hidden_size 16 must be a multiple of num_attention_heads 5");

        Path bad = tmp.resolve("tf-bad");
        Files.createDirectories(bad.resolve("variables"));
        Files.createDirectories(bad.resolve("assets"));
        Files.write(bad.resolve("assets/vocab.txt"), TinyModels.vocab());
        Files.writeString(bad.resolve("assets/bert_config.json"), "{\"num_attention_heads\": 4}");
        TensorBundleWriter bundle = new TensorBundleWriter();
        String query = "module/bert/encoder/layer_1/attention/self/query/kernel";
        for (Map.Entry<String, Tensor> e : TinyModels.weights(5, true).all().entrySet()) {
            String hf = e.getKey();
            String tf = TinyModels.savedModelName(hf);
            Tensor t = TinyModels.isKernel(hf) ? SavedModelFormat.transpose(e.getValue()) : e.getValue();
            if (tf.equals(query)) {
                t = HandMadeModels.random(16, 12);
            }
            bundle.add(TensorBundleWriter.f32(tf, t.shape(), t.data()));
        }
        bundle.write(bad.resolve("variables"), "variables");
        assertContains(
                refused(bad).getMessage(),
                "'encoder.layer.1.attention.self.query.weight'",
                "[12, 16]",
                "expected [16, 16]",
                "SavedModel " + bad);
    }

    @Test
    void aRunWhoseCheckpointDisagreesWithItsBaseIsRefused() throws IOException {
        Path base = HandMadeModels.write(tmp.resolve("base"), t -> {});
        Path run = tmp.resolve("run");
        Files.createDirectories(run.resolve(RunFolder.BEST));
        Files.writeString(run.resolve(RunFolder.RUN_JSON), "{\"base_model\": \"" + base + "\", \"pooling\": \"cls\"}");
        Map<String, Tensor> weights = new java.util.LinkedHashMap<>(
                RandomWeights.create(HandMadeModels.config(), 4, true, 0.2).all());
        weights.put(QUERY, HandMadeModels.random(8, 16));
        Safetensors.write(run.resolve(RunFolder.BEST).resolve(RunFolder.WEIGHTS), weights, Map.of());
        assertContains(refused(run).getMessage(), "'" + QUERY + "'", "[8, 16]", "run " + run);
    }

    @Test
    void randomWeightsPassTheCheck() {
        BertWeights w = RandomWeights.create(HandMadeModels.config(), 1, false);
        assertFalse(w.hasPooler());
        var e = assertThrows(
                ModelLoadException.class,
                () -> new BertWeights(BertConfig.of(20, 8, 2, 2, 16, 16, 2), w.all(), "the test"));
        assertContains(e.getMessage(), "no tensor 'encoder.layer.1.", "the test");
    }
}
