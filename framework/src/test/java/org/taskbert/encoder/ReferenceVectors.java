package org.taskbert.encoder;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.taskbert.SharedData;
import org.taskbert.spi.Encoding;
import org.taskbert.spi.Pooling;
import org.taskbert.tokenize.BertTokenizer;

/**
 * The independent implementation's vectors in {@code shared/reference} (one JSON object a line: text, input_ids, a
 * vector per pooling), and the check the parity tests make of an encoder against them: every pooling within 1e-4
 * alone (5e-4 at 512 tokens), within 1e-3 in one padded batch.
 */
final class ReferenceVectors {

    record Ref(String text, int[] ids, Map<Pooling, float[]> vectors) {}

    private ReferenceVectors() {}

    static List<Ref> read(String file, int inputs) throws IOException {
        List<Ref> refs = new ArrayList<>();
        ObjectMapper json = new ObjectMapper();
        for (String line : Files.readAllLines(SharedData.path(file), StandardCharsets.UTF_8)) {
            if (line.isBlank()) {
                continue;
            }
            JsonNode n = json.readTree(line);
            Map<Pooling, float[]> vectors = new EnumMap<>(Pooling.class);
            for (Pooling p : Pooling.all()) {
                vectors.put(p, json.convertValue(n.get(p.id()), float[].class));
            }
            refs.add(new Ref(n.get("text").asText(), json.convertValue(n.get("input_ids"), int[].class), vectors));
        }
        assertEquals(inputs, refs.size(), "reference inputs in " + file);
        return refs;
    }

    /** Each input alone (1e-4; 5e-4 at 512 tokens), then all of them in one padded batch (1e-3). */
    static void check(Encoder encoder, BertTokenizer tok, List<Ref> refs) {
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
