package org.taskbert.spi.data;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Parses one JSONL line and reads its fields, failing with the file, line and field. Accepts NaN and Infinity
 * literals (as Python's json module writes them); rejects duplicate keys, content after the value, and numbers or
 * nesting beyond {@link ReadLimits}.
 */
public final class JsonLines {
    public static final ObjectMapper MAPPER = JsonMapper.builder(ReadLimits.jsonFactory())
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

    private JsonLines() {}

    public static JsonNode parse(Path file, long line, String text) {
        try {
            return MAPPER.readTree(text);
        } catch (JsonProcessingException e) {
            throw malformed(file, line, e);
        }
    }

    public static InputFormatException malformed(Path file, long line, JsonProcessingException e) {
        JsonLocation at = e.getLocation();
        String column = at == null || at.getColumnNr() < 1 ? "" : " (column " + at.getColumnNr() + ")";
        // each line is parsed on its own, so Jackson's "[Source: ...; line: 1, column: N]" is just column N
        String detail = e.getOriginalMessage()
                .replaceAll("\\[Source: [^\\]]*?; line: \\d+, column: (\\d+)]", "column $1")
                .replaceAll("\\[Source: [^\\]]*?; line: \\d+]", "this line");
        if (e instanceof StreamConstraintsException) {
            return new InputFormatException(
                    file, line, -1, null, "JSON beyond taskbert's limits: " + ReadLimits.plain(detail) + column, e);
        }
        return new InputFormatException(file, line, -1, null, "malformed JSON: " + detail + column, e);
    }

    /** The field's value, possibly a JSON null; fails if the line is not an object or lacks the field. */
    public static JsonNode field(Path file, long line, JsonNode node, String name) {
        if (!node.isObject()) {
            throw new InputFormatException(file, line, -1, null, "expected a JSON object, got " + kind(node));
        }
        JsonNode value = node.get(name);
        if (value == null) {
            throw new InputFormatException(file, line, -1, name, "missing field '" + name + "'");
        }
        return value;
    }

    public static String stringField(Path file, long line, JsonNode node, String name) {
        JsonNode value = field(file, line, node, name);
        if (!value.isTextual()) {
            throw new InputFormatException(
                    file, line, -1, name, "field '" + name + "' must be a string, got " + kind(value));
        }
        return value.textValue();
    }

    public static String kind(JsonNode node) {
        return node.getNodeType().name().toLowerCase(Locale.ROOT);
    }
}
