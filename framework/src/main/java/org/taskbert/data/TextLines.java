package org.taskbert.data;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.taskbert.spi.data.InputFormatException;
import org.taskbert.spi.data.JsonLines;
import org.taskbert.spi.data.Utf8LineReader;

/**
 * Reads the texts to embed: from a {@code .jsonl} file, the string field {@code text} of each non-blank line; from any
 * other file, one text per line, empty lines kept as empty texts. Strict UTF-8; {@code .gz} is gunzipped. The file
 * is streamed ({@link Utf8LineReader}): only the texts are kept, and an over-long line fails with its line and byte
 * offset.
 */
public final class TextLines {
    private TextLines() {}

    /** The texts of {@code file}, in file order; fails with {@link InputFormatException} on bad content. */
    public static List<String> read(Path file) throws IOException {
        return read(file, "text");
    }

    /** As {@link #read(Path)}, with the JSONL texts read from the string field {@code field}. */
    public static List<String> read(Path file, String field) throws IOException {
        boolean jsonl = isJsonl(file);
        List<String> texts = new ArrayList<>();
        try (Utf8LineReader lines = new Utf8LineReader(file)) {
            for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                if (!jsonl) {
                    texts.add(line);
                } else if (!line.isBlank()) {
                    JsonNode node = JsonLines.parse(file, lines.lineNumber(), line);
                    texts.add(JsonLines.stringField(file, lines.lineNumber(), node, field));
                }
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
