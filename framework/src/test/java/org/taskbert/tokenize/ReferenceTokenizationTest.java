package org.taskbert.tokenize;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Checks the tokenizer against BERT's own ids for the 16 reference inputs of shared/reference. */
class ReferenceTokenizationTest {

    @Test
    void matchesBertBaseUncasedIds() throws IOException {
        BertTokenizer tokenizer = new BertTokenizer(referenceVocab(), true);
        Path vectors = sharedDir().resolve("reference/bert-base-uncased-vectors.jsonl");
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
            assertArrayEquals(expected, tokenizer.encode(text, 512).inputIds(),
                    () -> "ids of " + json.valueToTree(text) + ", pieces " + tokenizer.tokenize(text));
        }
    }

    /** The bert-base-uncased vocab.txt, named by system property taskbert.test.vocab. */
    private static Vocab referenceVocab() throws IOException {
        String path = System.getProperty("taskbert.test.vocab");
        if (path == null) {
            fail("set -Dtaskbert.test.vocab to the vocab.txt of BERT-Base uncased (Google's release)");
        }
        return Vocab.load(Path.of(path));
    }

    /** Property taskbert.shared, else the shared/ folder beside the repository root. */
    private static Path sharedDir() {
        String path = System.getProperty("taskbert.shared");
        if (path != null) {
            return Path.of(path);
        }
        // Without the property (an IDE run), the working directory is the repo root or a module in it.
        Path fromRoot = Path.of("..", "shared");
        return Files.isDirectory(fromRoot.resolve("reference")) ? fromRoot : Path.of("..", "..", "shared");
    }
}
