package org.taskbert.tasks.ranking;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.zip.GZIPInputStream;
import org.taskbert.data.InputFormatException;

/**
 * One ranking example: a query, the text that answers it, and optionally a hard negative (a text that looks like
 * an answer but is not).
 *
 * @param id where it came from: the article id, or {@code file:line}; the corpus split is by this id
 * @param negative the hard negative, or null
 */
public record RankingExample(String id, String query, String positive, String negative) {

    private static final ObjectMapper MAPPER = JsonMapper.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .build();

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
        InputStream in = Files.newInputStream(file);
        if (file.getFileName().toString().endsWith(".gz")) {
            in = new GZIPInputStream(in);
        }
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try (BufferedReader lines = new BufferedReader(new InputStreamReader(in, decoder))) {
            long line = 0;
            while (true) {
                String text;
                try {
                    text = lines.readLine();
                } catch (CharacterCodingException e) {
                    throw new InputFormatException(file, line + 1, -1, null, "invalid UTF-8", e);
                }
                if (text == null) {
                    break;
                }
                line++;
                if (!text.isBlank()) {
                    out.add(parse(file, line, text));
                }
            }
        }
        if (out.isEmpty()) {
            throw new InputFormatException(file, -1, -1, null, "no examples");
        }
        return out;
    }

    private static RankingExample parse(Path file, long line, String json) {
        JsonNode node;
        try {
            node = MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new InputFormatException(file, line, -1, null, "malformed JSON: " + e.getOriginalMessage(), e);
        }
        if (!node.isObject()) {
            throw new InputFormatException(file, line, -1, null, "expected a JSON object, got "
                    + node.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        return new RankingExample(file.getFileName() + ":" + line, text(file, line, node, "query", true),
                text(file, line, node, "positive", true), text(file, line, node, "negative", false));
    }

    private static String text(Path file, long line, JsonNode node, String field, boolean required) {
        JsonNode value = node.get(field);
        if (value == null || value.isNull()) {
            if (required) {
                throw new InputFormatException(file, line, -1, field, "missing field '" + field + "'");
            }
            return null;
        }
        if (!value.isTextual()) {
            throw new InputFormatException(file, line, -1, field, "field '" + field + "' must be a string, got "
                    + value.getNodeType().name().toLowerCase(java.util.Locale.ROOT));
        }
        if (value.textValue().isBlank()) {
            throw new InputFormatException(file, line, -1, field, "empty " + field);
        }
        return value.textValue().strip();
    }
}
