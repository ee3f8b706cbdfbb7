package org.taskbert.spi.data;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * An STS JSONL file ({@code {"sentence1": ..., "sentence2": ..., "score": ...}} a line, other keys ignored): its
 * pairs with a finite score, and how many pairs were skipped because their score was null, non-numeric (a string
 * that is not a number, a boolean) or not finite (NaN, Infinity, also as strings or by overflow). A score (number or
 * numeric string) longer than {@link ReadLimits#MAX_NUMBER_LENGTH} characters is an error, not a skipped pair.
 *
 * @param firstSkippedLine the line of the first skipped pair, or -1
 * @param pairLines the line of each pair, for errors that name it ({@link #lineOf})
 */
public record StsFile(List<StsPair> pairs, int skippedScores, long firstSkippedLine, long[] pairLines) {

    public StsFile {
        pairs = List.copyOf(pairs);
        if (pairLines.length != pairs.size()) {
            throw new IllegalArgumentException(pairs.size() + " pairs but " + pairLines.length + " line numbers");
        }
        pairLines = pairLines.clone();
    }

    /** The 1-based line of {@code pairs().get(pair)} in the file. */
    public long lineOf(int pair) {
        return pairLines[pair];
    }

    /**
     * Reads {@code file} (strict UTF-8, {@code .gz} gunzipped, blank lines skipped). A missing field, a sentence that
     * is not a string, a score that is an object or array, or malformed JSON fails with {@link InputFormatException}.
     */
    public static StsFile read(Path file) throws IOException {
        List<String> lines = Utf8Lines.read(file);
        List<StsPair> pairs = new ArrayList<>();
        List<Long> pairLines = new ArrayList<>();
        int skipped = 0;
        long firstSkipped = -1;
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).isBlank()) {
                continue;
            }
            long line = i + 1;
            JsonNode node = JsonLines.parse(file, line, lines.get(i));
            String sentence1 = JsonLines.stringField(file, line, node, "sentence1");
            String sentence2 = JsonLines.stringField(file, line, node, "sentence2");
            double score = score(file, line, JsonLines.field(file, line, node, "score"));
            if (Double.isFinite(score)) {
                pairs.add(new StsPair(sentence1, sentence2, score));
                pairLines.add(line);
            } else if (skipped++ == 0) {
                firstSkipped = line;
            }
        }
        return new StsFile(
                pairs,
                skipped,
                firstSkipped,
                pairLines.stream().mapToLong(Long::longValue).toArray());
    }

    /** The score, or NaN when the pair is to be skipped. */
    private static double score(Path file, long line, JsonNode value) {
        if (value.isNumber()) {
            return value.doubleValue();
        }
        if (value.isTextual()) {
            String text = value.textValue().strip();
            if (!ReadLimits.numberLengthAllowed(text.length())) {
                // BigDecimal's parse grows faster than linearly: a million digits would take many seconds
                throw new InputFormatException(
                        file,
                        line,
                        -1,
                        "score",
                        "field 'score' is a string of " + text.length() + " characters, longer than any number"
                                + " taskbert reads (" + ReadLimits.MAX_NUMBER_LENGTH + ")");
            }
            try {
                return new BigDecimal(text).doubleValue();
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }
        if (value.isNull() || value.isBoolean()) {
            return Double.NaN;
        }
        throw new InputFormatException(
                file, line, -1, "score", "field 'score' must be a number, got " + JsonLines.kind(value));
    }
}
