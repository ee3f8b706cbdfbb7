package org.taskbert.data;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.taskbert.spi.data.InputFormatException;
import org.taskbert.spi.data.JsonLines;
import org.taskbert.spi.data.Utf8Lines;

/**
 * Reads the texts to embed: from a {@code .jsonl} file, the string field {@code text} of each non-blank line; from any
 * other file, one text per line, empty lines kept as empty texts. Strict UTF-8; {@code .gz} is gunzipped.
 */
public final class TextLines {
    private TextLines() {}

    /** The texts of {@code file}, in file order; fails with {@link InputFormatException} on bad content. */
    public static List<String> read(Path file) throws IOException {
        List<String> lines = Utf8Lines.read(file);
        if (!isJsonl(file)) {
            return lines;
        }
        List<String> texts = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            if (!lines.get(i).isBlank()) {
                JsonNode node = JsonLines.parse(file, i + 1, lines.get(i));
                texts.add(JsonLines.stringField(file, i + 1, node, "text"));
            }
        }
        return texts;
    }

    /** Whether the name ends in {@code .jsonl} or {@code .jsonl.gz}. */
    public static boolean isJsonl(Path file) {
        String name = file.getFileName().toString();
        return name.endsWith(".jsonl") || name.endsWith(".jsonl.gz");
    }
}
