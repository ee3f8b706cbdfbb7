package org.taskbert.tasks.classification;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.taskbert.spi.data.InputFormatException;
import org.taskbert.spi.data.JsonLines;
import org.taskbert.spi.data.Utf8Lines;

/**
 * One example: a text (or a pair, {@code textPair} non-null) and its label, with where it was read.
 *
 * @param id the document's id (a corpus), or {@code file:line} (explicit files)
 * @param duplicateOf the id of an earlier exact copy of this document, or null
 */
public record LabelledText(
        String id, String text, String textPair, String label, String duplicateOf, Path file, long line) {

    /** Which JSON fields hold what ({@code textPair} and {@code title} may be null: not used). */
    public record Fields(String text, String textPair, String title, String label) {}

    /**
     * The examples of a JSON Lines file ({@link Utf8Lines}: gunzipped if its name ends in {@code .gz}, strict UTF-8;
     * blank lines skipped). {@code documents}: each line also has a unique string {@code id} and an optional string
     * {@code duplicate_of}. Errors name the file, line and field.
     */
    public static List<LabelledText> read(Path file, Fields f, boolean documents) throws IOException {
        List<LabelledText> out = new ArrayList<>();
        Map<String, Long> lineOfId = new HashMap<>();
        long line = 0;
        for (String text : Utf8Lines.read(file)) {
            line++;
            if (text.isBlank()) {
                continue;
            }
            JsonNode node = JsonLines.parse(file, line, text);
            String body = JsonLines.stringField(file, line, node, f.text());
            if (f.title() != null) {
                body = JsonLines.stringField(file, line, node, f.title()) + "\n\n" + body;
            }
            String pair = f.textPair() == null ? null : JsonLines.stringField(file, line, node, f.textPair());
            String label = JsonLines.stringField(file, line, node, f.label());
            if (label.isBlank()) {
                throw new InputFormatException(file, line, -1, f.label(), "empty label in field '" + f.label() + "'");
            }
            String id = file.getFileName() + ":" + line;
            String duplicateOf = null;
            if (documents) {
                id = JsonLines.stringField(file, line, node, "id");
                duplicateOf = node.hasNonNull("duplicate_of")
                        ? JsonLines.stringField(file, line, node, "duplicate_of")
                        : null;
                Long first = lineOfId.putIfAbsent(id, line);
                if (first != null) {
                    throw new InputFormatException(
                            file, line, -1, "id", "duplicate id '" + id + "' (first on line " + first + ")");
                }
            }
            out.add(new LabelledText(id, body, pair, label, duplicateOf, file, line));
        }
        return out;
    }

    public boolean isPair() {
        return textPair != null;
    }

    public boolean isDuplicate() {
        return duplicateOf != null;
    }

    /** {@code file:line}, for messages. */
    public String where() {
        return file + ":" + line;
    }
}
