package org.taskbert.model.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.taskbert.model.Models;
import org.taskbert.model.Tensor;

/** Reads Google's BERT-Base (uncased) TF Hub SavedModel variables end to end. */
class RealBundleTest {

    private static final String PREFIX = "module/bert/";

    @Test
    void readsAllOfBertBase() throws IOException {
        Path variables = bundleDir();
        long start = System.nanoTime();
        try (TensorBundleReader reader = TensorBundleReader.open(variables)) {
            Map<String, Tensor> all = reader.readAllFloat(name -> true); // verifies every tensor's crc32c
            double seconds = (System.nanoTime() - start) / 1e9;
            long bytes =
                    all.values().stream().mapToLong(t -> 4L * t.data().length).sum();
            System.out.printf(
                    "RealBundleTest: read %d tensors, %.1f MB, checksums verified, in %.2f s from %s%n",
                    all.size(), bytes / 1e6, seconds, variables);

            assertTrue(
                    reader.names().size() >= 190 && reader.names().size() <= 220,
                    "about 200 variables expected, found " + reader.names().size());
            assertEquals(reader.names().size(), all.size(), "BERT-Base holds only float variables");
            assertArrayEquals(
                    new long[] {30522, 768},
                    all.get(PREFIX + "embeddings/word_embeddings").shape());
            assertArrayEquals(
                    new long[] {512, 768},
                    all.get(PREFIX + "embeddings/position_embeddings").shape());
            for (int layer = 0; layer < 12; layer++) {
                String query = PREFIX + "encoder/layer_" + layer + "/attention/self/query/kernel";
                assertTrue(all.containsKey(query), "missing " + query);
                assertArrayEquals(new long[] {768, 768}, all.get(query).shape(), query);
            }
            assertArrayEquals(
                    new long[] {768, 768},
                    all.get(PREFIX + "pooler/dense/kernel").shape());
            float[] gamma = all.get(PREFIX + "embeddings/LayerNorm/gamma").data();
            double mean = 0;
            for (float g : gamma) {
                mean += g / gamma.length;
            }
            assertTrue(mean > 0.3 && mean < 3, "trained LayerNorm gamma should be near 1, mean " + mean);
            assertTrue(seconds < 30, "loading took " + seconds + " s");
        }
    }

    /** The real SavedModel {@code variables} folder (to be replaced by the model loader's lookup). */
    private static Path bundleDir() {
        return Models.localFolder("bert-base-uncased").resolve("variables");
    }
}
