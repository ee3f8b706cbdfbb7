package org.taskbert.encoder;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.taskbert.SharedData;
import org.taskbert.model.LoadedModel;
import org.taskbert.model.Models;
import org.taskbert.spi.Encoding;
import org.taskbert.spi.Pooling;
import org.taskbert.tokenize.BertTokenizer;

/**
 * bert-base-uncased from Maven Central against the independent implementation's vectors in
 * {@code shared/reference}: ids exact, every pooling within 1e-4 alone (5e-4 at 512 tokens),
 * within 1e-3 in one padded batch.
 */
@Tag("integration")
class ReferenceParityTest {

    record Ref(String text, int[] ids, Map<Pooling, float[]> vectors) {}

    static LoadedModel model;
    static List<Ref> refs;

    @BeforeAll
    static void load() throws IOException {
        model = Models.load("bert-base-uncased");
        refs = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(SharedData.path("reference/bert-base-uncased-vectors.jsonl"))) {
            JsonNode n = json.readTree(line);
            Map<Pooling, float[]> vectors = new java.util.EnumMap<>(Pooling.class);
            for (Pooling p : Pooling.all()) {
                vectors.put(p, json.convertValue(n.get(p.id()), float[].class));
            }
            refs.add(new Ref(n.get("text").asText(), json.convertValue(n.get("input_ids"), int[].class), vectors));
        }
        assertEquals(16, refs.size());
    }

    /** Both engines: the SameDiff graph and the plain-array inference path that embed and evaluation use. */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void everyPoolingWithin1e4AloneAnd1e3InOnePaddedBatch(Engine engine) {
        Encoder encoder = engine.open(model.weights(), 16);
        BertTokenizer tok = model.tokenizer(); // its ids are checked in ReferenceTokenizationTest
        List<Encoding> all = new ArrayList<>();
        for (Ref r : refs) {
            Encoding e = tok.encode(r.text, 512);
            all.add(e);
            Map<Pooling, float[][]> alone =
                    encoder.encode(List.of(e), EnumSet.copyOf(Pooling.all()), Encoder.Progress.NONE);
            double tol = e.length() >= 512 ? 5e-4 : 1e-4;
            check(r, alone, 0, tol);
        }
        Map<Pooling, float[][]> batch = encoder.encode(all, EnumSet.copyOf(Pooling.all()), Encoder.Progress.NONE);
        for (int i = 0; i < refs.size(); i++) {
            check(refs.get(i), batch, i, 1e-3);
        }
    }

    private static void check(Ref r, Map<Pooling, float[][]> got, int row, double tol) {
        for (Pooling p : Pooling.all()) {
            float[] want = r.vectors.get(p);
            float[] have = got.get(p)[row];
            double worst = 0;
            for (int d = 0; d < want.length; d++) {
                worst = Math.max(worst, Math.abs(want[d] - have[d]));
            }
            if (worst > tol) {
                throw new AssertionError(String.format("%s of %.40s: max |diff| %.3g > %.1g", p, r.text, worst, tol));
            }
        }
    }
}
