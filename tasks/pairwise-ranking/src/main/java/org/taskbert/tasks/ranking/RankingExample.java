package org.taskbert.tasks.ranking;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import org.taskbert.spi.data.InputFormatException;
import org.taskbert.spi.data.JsonLines;
import org.taskbert.spi.data.Utf8LineReader;

/**
 * One ranking example: a query, the text that answers it, and optionally a hard negative (a text that looks like
 * an answer but is not).
 *
 * @param id where it came from: the article id, or {@code file:line}; the corpus split is by this id
 * @param negative the hard negative, or null
 */
public record RankingExample(String id, String query, String positive, String negative) {

    public RankingExample {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(query, "query");
        Objects.requireNonNull(positive, "positive");
    }

    public boolean hasNegative() {
        return negative != null;
    }

    /**
     * Examples from a JSON Lines file (gzipped if the name ends in {@code .gz}), one object a line with string
     * fields {@code query} and {@code positive} and an optional {@code negative} (a string or null); other fields
     * are ignored, blank lines skipped. A missing, non-string, empty or blank query, positive or (given) negative,
     * malformed JSON or UTF-8 fails with an {@link InputFormatException} naming the file and line: an explicit file
     * is meant as written, so nothing in it is skipped silently.
     */
    public static List<RankingExample> read(Path file) throws IOException {
        List<RankingExample> out = new ArrayList<>();
        try (Utf8LineReader lines = new Utf8LineReader(file)) {
            for (String text = lines.readLine(); text != null; text = lines.readLine()) {
                if (!text.isBlank()) {
                    out.add(parse(file, lines.lineNumber(), text));
                }
            }
        }
        if (out.isEmpty()) {
            throw new InputFormatException(file, -1, -1, null, "no examples");
        }
        return out;
    }

    private static RankingExample parse(Path file, long line, String json) {
        JsonNode node = JsonLines.parse(file, line, json);
        String query = text(file, line, node, "query");
        String positive = text(file, line, node, "positive");
        JsonNode negative = node.get("negative");
        return new RankingExample(
                file.getFileName() + ":" + line,
                query,
                positive,
                negative == null || negative.isNull() ? null : text(file, line, node, "negative"));
    }

    /** The field's text, stripped; fails naming the field when it is missing, not a string, or blank. */
    private static String text(Path file, long line, JsonNode node, String field) {
        String value = JsonLines.stringField(file, line, node, field);
        if (value.isBlank()) {
            throw new InputFormatException(file, line, -1, field, "empty " + field);
        }
        return value.strip();
    }
}
