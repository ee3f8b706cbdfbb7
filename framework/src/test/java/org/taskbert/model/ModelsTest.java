package org.taskbert.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Loading models from folders, and the errors for bad ones. */
class ModelsTest {

    @TempDir
    Path tmp;

    @Test
    void savedModelAndHuggingFaceFoldersLoadTheSameWeights() throws IOException {
        LoadedModel tf = Models.load(
                TinyModels.writeSavedModel(tmp.resolve("tf"), 5, true).toString());
        LoadedModel hf = Models.load(
                TinyModels.writeHuggingFace(tmp.resolve("hf"), 5, true).toString());
        assertEquals(hf.config(), tf.config());
        assertEquals(hf.weights().names(), tf.weights().names());
        for (String name : hf.weights().names()) {
            assertArrayEquals(
                    hf.weights().require(name).shape(),
                    tf.weights().require(name).shape(),
                    name);
            assertArrayEquals(
                    hf.weights().require(name).data(),
                    tf.weights().require(name).data(),
                    name);
        }
        assertTrue(tf.lowerCase());
        assertEquals(TinyModels.vocab().size(), tf.tokenizer().vocab().size());
    }

    @Test
    void aCorruptShardNamesTheTensorAndTheChecksum() throws IOException {
        Path dir = TinyModels.writeSavedModel(tmp.resolve("tf"), 5, true);
        Path shard = dir.resolve("variables/variables.data-00000-of-00001");
        byte[] bytes = Files.readAllBytes(shard);
        bytes[bytes.length / 2] ^= 0x40;
        Files.write(shard, bytes);
        var e = assertThrows(ModelLoadException.class, () -> Models.load(dir.toString()));
        assertTrue(e.getMessage().contains("checksum mismatch for tensor 'module/bert/"), e.getMessage());
    }

    @Test
    void aTruncatedShardSaysTruncated() throws IOException {
        Path dir = TinyModels.writeSavedModel(tmp.resolve("tf"), 5, true);
        Path shard = dir.resolve("variables/variables.data-00000-of-00001");
        try (FileChannel ch = FileChannel.open(shard, StandardOpenOption.WRITE)) {
            ch.truncate(ch.size() - 100);
        }
        var e = assertThrows(ModelLoadException.class, () -> Models.load(dir.toString()));
        assertTrue(e.getMessage().contains("truncated shard"), e.getMessage());
    }

    @Test
    void aMissingShardOrEmptyFolderSaysWhatIsMissing() throws IOException {
        Path dir = TinyModels.writeSavedModel(tmp.resolve("tf"), 5, true);
        Files.delete(dir.resolve("variables/variables.data-00000-of-00001"));
        var e = assertThrows(ModelLoadException.class, () -> Models.load(dir.toString()));
        assertTrue(e.getMessage().contains("variables.data-00000-of-00001"), e.getMessage());

        Files.createDirectories(tmp.resolve("empty"));
        var empty = assertThrows(
                ModelLoadException.class, () -> Models.load(tmp.resolve("empty").toString()));
        assertTrue(empty.getMessage().contains("holds no model"), empty.getMessage());
    }

    @Test
    void anUnknownNameListsTheAliases() {
        var e = assertThrows(ModelLoadException.class, () -> Models.load("bert-huge-uncased"));
        assertTrue(
                e.getMessage().contains("bert-base-uncased, bert-base-cased, bert-base-multilingual-cased")
                        || e.getMessage().contains("bert-base-cased, bert-base-multilingual-cased, bert-base-uncased"),
                e.getMessage());
    }

    @Test
    void aCheckpointWithoutPoolerHasNoPoolerWeights() throws IOException {
        LoadedModel m = Models.load(
                TinyModels.writeSavedModel(tmp.resolve("tf"), 5, false).toString());
        assertFalse(m.weights().hasPooler());
        var e = assertThrows(
                BertWeights.MissingWeightException.class, () -> m.weights().require(BertWeights.POOLER_WEIGHT));
        assertTrue(
                e.getMessage().contains("'pooler.dense.weight'")
                        && e.getMessage().contains("bert/pooler/dense"),
                e.getMessage());
    }

    @Test
    void tfNamesMapToHuggingFaceNames() {
        assertEquals(
                "encoder.layer.11.attention.self.query.weight",
                SavedModelFormat.hfName("module/bert/encoder/layer_11/attention/self/query/kernel"));
        assertEquals("embeddings.LayerNorm.bias", SavedModelFormat.hfName("bert/embeddings/LayerNorm/beta"));
        assertEquals("embeddings.word_embeddings.weight", SavedModelFormat.hfName("bert/embeddings/word_embeddings"));
        assertEquals("pooler.dense.weight", SavedModelFormat.hfName("module/bert/pooler/dense/kernel"));
        assertEquals("cls.predictions.bias", SavedModelFormat.hfName("module/cls/predictions/output_bias"));
        assertEquals(
                "cls.predictions.transform.dense.weight",
                SavedModelFormat.hfName("cls/predictions/transform/dense/kernel"));
        assertEquals(null, SavedModelFormat.hfName("global_step"));
        assertEquals(null, SavedModelFormat.hfName("bert/encoder/layer_0/output/dense/kernel/adam_m"));
    }
}
