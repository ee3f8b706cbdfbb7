package org.taskbert.spi.data;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Reads a corpus file: JSON Lines (gzipped if the name ends in {@code .gz}), one document a line, with string fields
 * {@code id} and {@code text} (required), {@code title}, {@code label} and {@code duplicate_of} (optional); other
 * fields are ignored. Paragraphs are separated by blank lines.
 */
public final class Corpus {
    private static final ObjectMapper MAPPER = JsonMapper.builder(ReadLimits.jsonFactory())
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();
    private static final Pattern BLANK_LINE = Pattern.compile("\\n[ \\t\\r]*\\n");

    private Corpus() {}

    /** All documents of {@code file}; see {@link #read(Path, SentenceSplitter, int)}. */
    public static List<Document> read(Path file, SentenceSplitter splitter) throws IOException {
        return read(file, splitter, 0);
    }

    /**
     * The first {@code maxDocs} documents of {@code file} (all if {@code maxDocs <= 0}), streamed and split into
     * paragraphs and sentences. Blank lines are skipped. Malformed JSON or UTF-8, a missing or non-string
     * {@code id}/{@code text}, an optional field that is neither a string nor null, or an id seen before fails with
     * an {@link InputFormatException} naming the file and line.
     */
    public static List<Document> read(Path file, SentenceSplitter splitter, int maxDocs) throws IOException {
        List<Document> docs = new ArrayList<>();
        Map<String, Long> lineOfId = new HashMap<>();
        try (Utf8LineReader lines = new Utf8LineReader(file)) {
            for (String text = lines.readLine();
                    text != null && (maxDocs <= 0 || docs.size() < maxDocs);
                    text = lines.readLine()) {
                if (!text.isBlank()) {
                    Document doc = parse(file, lines.lineNumber(), text, splitter);
                    Long first = lineOfId.putIfAbsent(doc.id(), lines.lineNumber());
                    if (first != null) {
                        throw new InputFormatException(
                                file,
                                lines.lineNumber(),
                                -1,
                                "id",
                                "duplicate id '" + doc.id() + "' (first on line " + first + ")");
                    }
                    docs.add(doc);
                }
            }
        }
        return docs;
    }

    private static Document parse(Path file, long line, String json, SentenceSplitter splitter) {
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            String column = e.getLocation() == null
                    ? ""
                    : " at column " + e.getLocation().getColumnNr();
            throw new InputFormatException(
                    file, line, -1, null, "malformed JSON" + column + ": " + e.getOriginalMessage(), e);
        }
        if (!node.isObject()) {
            throw new InputFormatException(file, line, -1, null, "expected a JSON object, got " + kind(node));
        }
        String id = string(file, line, node, "id", true);
        String text = string(file, line, node, "text", true);
        String title = string(file, line, node, "title", false);
        List<List<String>> paragraphs = new ArrayList<>();
        for (String paragraph : BLANK_LINE.split(text)) {
            paragraphs.add(splitter.split(paragraph));
        }
        return new Document(
                id,
                title == null ? "" : title,
                string(file, line, node, "label", false),
                string(file, line, node, "duplicate_of", false),
                paragraphs);
    }

    private static String string(Path file, long line, JsonNode node, String name, boolean required) {
        JsonNode value = node.get(name);
        if (value == null || (!required && value.isNull())) {
            if (required) {
                throw new InputFormatException(file, line, -1, name, "missing field '" + name + "'");
            }
            return null;
        }
        if (!value.isTextual()) {
            throw new InputFormatException(
                    file, line, -1, name, "field '" + name + "' must be a string, got " + kind(value));
        }
        return value.textValue();
    }

    private static String kind(JsonNode node) {
        return node.getNodeType().name().toLowerCase(Locale.ROOT);
    }
}
