package org.taskbert.data;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.taskbert.spi.data.AtomicFile;
import org.taskbert.spi.data.InputFormatException;
import org.taskbert.spi.data.JsonLines;
import org.taskbert.spi.data.Utf8LineReader;

/**
 * Float vectors as JSONL, one JSON array a line, e.g. {@code [0.25,-1.5E-7,3.0]}. Values are written with
 * {@link Float#toString(float)}, which parses back to the same float32 bits; NaN and infinities are written as
 * {@code NaN}, {@code Infinity} and {@code -Infinity}, as Python's json module does.
 */
public final class JsonlVectors {
    private JsonlVectors() {}

    /** Writes the vectors, in order, atomically, gzipped if the name ends in {@code .gz}; all of the same length. */
    public static void write(Path file, List<float[]> vectors) throws IOException {
        for (int i = 1; i < vectors.size(); i++) {
            if (vectors.get(i).length != vectors.get(0).length) {
                throw new IllegalArgumentException("vector " + i + " has " + vectors.get(i).length
                        + " values, vector 0 has " + vectors.get(0).length);
            }
        }
        boolean gzip = file.getFileName().toString().endsWith(".gz");
        AtomicFile.write(file, out -> {
            OutputStream sink = gzip ? new GZIPOutputStream(out, 1 << 16) : out;
            Writer writer = new BufferedWriter(new OutputStreamWriter(sink, StandardCharsets.UTF_8), 1 << 16);
            StringBuilder line = new StringBuilder();
            for (float[] vector : vectors) {
                line.setLength(0);
                line.append('[');
                for (int j = 0; j < vector.length; j++) {
                    line.append(j == 0 ? "" : ",").append(Float.toString(vector[j]));
                }
                writer.append(line.append("]\n"));
            }
            writer.flush();
            if (sink instanceof GZIPOutputStream gzipped) {
                gzipped.finish();
            }
        });
    }

    /**
     * Reads the vectors of a file written by {@link #write} (or by Python), skipping blank lines. A line that is not an
     * array of numbers, a value outside float32 range, or a length differing from the first line's fails with
     * {@link InputFormatException}. The file is streamed: only the vectors are kept.
     */
    public static List<float[]> read(Path file) throws IOException {
        List<float[]> vectors = new ArrayList<>();
        long firstLine = -1;
        try (Utf8LineReader lines = new Utf8LineReader(file)) {
            for (String text = lines.readLine(); text != null; text = lines.readLine()) {
                if (text.isBlank()) {
                    continue;
                }
                long line = lines.lineNumber();
                float[] vector = parse(file, line, text);
                if (vectors.isEmpty()) {
                    firstLine = line;
                } else if (vector.length != vectors.get(0).length) {
                    throw new InputFormatException(
                            file,
                            line,
                            -1,
                            null,
                            "expected " + vectors.get(0).length + " values as on line " + firstLine + ", got "
                                    + vector.length);
                }
                vectors.add(vector);
            }
        }
        return vectors;
    }

    private static float[] parse(Path file, long line, String text) throws IOException {
        try (JsonParser parser = JsonLines.MAPPER.createParser(text)) {
            if (parser.nextToken() != JsonToken.START_ARRAY) {
                throw new InputFormatException(file, line, -1, null, "expected a JSON array of numbers");
            }
            float[] values = new float[16];
            int n = 0;
            for (JsonToken token = parser.nextToken(); token != JsonToken.END_ARRAY; token = parser.nextToken()) {
                if (token == null || !token.isNumeric()) {
                    throw new InputFormatException(
                            file, line, -1, null, "element " + n + " is not a number: " + parser.getText());
                }
                float value = parser.isNaN() ? (float) parser.getDoubleValue() : Float.parseFloat(parser.getText());
                if (Float.isInfinite(value) && !parser.isNaN()) {
                    throw new InputFormatException(
                            file, line, -1, null, "element " + n + " is outside float32 range: " + parser.getText());
                }
                if (n == values.length) {
                    values = Arrays.copyOf(values, 2 * n);
                }
                values[n++] = value;
            }
            if (parser.nextToken() != null) {
                throw new InputFormatException(file, line, -1, null, "unexpected content after the array");
            }
            return Arrays.copyOf(values, n);
        } catch (JsonProcessingException e) {
            throw JsonLines.malformed(file, line, e);
        }
    }
}
