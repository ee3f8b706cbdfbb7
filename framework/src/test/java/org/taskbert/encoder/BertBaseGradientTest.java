package org.taskbert.encoder;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.taskbert.model.LoadedModel;
import org.taskbert.model.Models;
import org.taskbert.spi.Encoding;
import org.taskbert.spi.Pooling;

/**
 * bert-base-uncased from Maven Central, one batch: every trained weight's gradient equals the SameDiff whole-graph
 * oracle's within 1e-4 (relative, max-norm), with all 12 layers and the embeddings training under dropout, and with
 * the top 2 layers training without it. The word table's gradient is checked too: the oracle reads it by a one-hot
 * product, since M2.1 cannot differentiate the gather with a 30,522-word vocabulary.
 */
@Tag("integration")
class BertBaseGradientTest {

    static LoadedModel model;
    static List<Encoding> batch;

    @BeforeAll
    static void load() {
        model = Models.load("bert-base-uncased");
        batch = List.of(
                model.tokenizer().encode("A man is playing a guitar.", 32),
                model.tokenizer().encodePair("The cat sleeps.", "It is warm by the fire in the evening.", 32),
                model.tokenizer().encode("Three dogs run across a snowy field towards the camera.", 32));
    }

    @Test
    void allLayersWithDropout() {
        int n = BertGradientTest.check(
                model.weights(), batch, EnumSet.of(Pooling.MEAN, Pooling.POOLER, Pooling.CLS), 0, 0.1, 1e-4);
        assertTrue(n > 190, n + " tensors compared");
    }

    @Test
    void topTwoLayers() {
        int n = BertGradientTest.check(
                model.weights(), batch, EnumSet.of(Pooling.FIRST_LAST_AVG, Pooling.MAX), 10, 0, 1e-4);
        assertTrue(n >= 32, n + " tensors compared");
    }
}
