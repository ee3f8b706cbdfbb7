package org.taskbert.data;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Timeout;
import org.taskbert.fuzz.HostileInput;
import org.taskbert.spi.data.InputFormatException;
import org.taskbert.spi.data.Utf8LineReader;
import org.taskbert.spi.data.Utf8Lines;

/**
 * Fuzzes the text readers with one input as every kind of file {@code embed} reads: plain text and JSONL
 * ({@link TextLines}, over {@link Utf8Lines} and {@link org.taskbert.spi.data.JsonLines}), the same gzipped, the
 * gzip stream with one byte changed or cut short, and the input itself as a {@code .gz} file. The streaming
 * {@link Utf8LineReader} must read the same lines as {@link Utf8Lines}, or refuse the same file; a gzipped file
 * reads as its plain copy. Seeds: {@code TextLinesFuzzTestInputs/readsOrRefuses/}.
 */
class TextLinesFuzzTest {

    private static final Path DIR = HostileInput.scratch("text");

    @FuzzTest(maxDuration = "15s")
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void readsOrRefuses(byte[] input) throws Exception {
        Path txt = Files.write(DIR.resolve("in.txt"), input);
        List<String> lines = readOrNull(() -> TextLines.read(txt));
        assertEquals(lines, readOrNull(() -> streamed(txt)), "Utf8LineReader against Utf8Lines");
        Path jsonl = Files.write(DIR.resolve("in.jsonl"), input);
        List<String> texts = readOrNull(() -> TextLines.read(jsonl));

        byte[] gz = gzip(input);
        Path txtGz = Files.write(DIR.resolve("in.txt.gz"), gz);
        assertEquals(lines, readOrNull(() -> TextLines.read(txtGz)), "in.txt.gz against in.txt");
        assertEquals(lines, readOrNull(() -> streamed(txtGz)), "Utf8LineReader on in.txt.gz against in.txt");
        Path jsonlGz = Files.write(DIR.resolve("in.jsonl.gz"), gz);
        assertEquals(texts, readOrNull(() -> TextLines.read(jsonlGz)), "in.jsonl.gz against in.jsonl");

        // A damaged gzip stream: one byte changed where the input's first byte says, or the stream cut there.
        int at = input.length == 0 ? 0 : (input[0] & 0xFF) % gz.length;
        byte[] changed = gz.clone();
        changed[at] ^= (byte) (input.length < 2 ? 0x55 : input[1] | 1);
        Path damaged = Files.write(DIR.resolve("damaged.jsonl.gz"), changed);
        readOrNull(() -> TextLines.read(damaged));
        readOrNull(() -> streamed(damaged));
        Path cut = Files.write(DIR.resolve("cut.txt.gz"), Arrays.copyOf(gz, at));
        readOrNull(() -> TextLines.read(cut));
        readOrNull(() -> streamed(cut));
        Path raw = Files.write(DIR.resolve("raw.txt.gz"), input);
        readOrNull(() -> TextLines.read(raw));
        readOrNull(() -> streamed(raw));
    }

    private interface Reading {
        List<String> read() throws Exception;
    }

    /** The lines read, or null when the reader refused the file with an {@link InputFormatException}. */
    private static List<String> readOrNull(Reading reading) {
        List<List<String>> result = new ArrayList<>();
        result.add(null);
        HostileInput.mustReadOrRefuse(List.of(InputFormatException.class), () -> result.set(0, reading.read()));
        return result.get(0);
    }

    private static List<String> streamed(Path file) throws IOException {
        List<String> lines = new ArrayList<>();
        try (Utf8LineReader reader = new Utf8LineReader(file)) {
            for (String line; (line = reader.readLine()) != null; ) {
                lines.add(line);
            }
        }
        return lines;
    }

    private static byte[] gzip(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(bytes);
        }
        return out.toByteArray();
    }
}
