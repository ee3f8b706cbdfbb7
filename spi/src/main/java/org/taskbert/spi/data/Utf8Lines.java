package org.taskbert.spi.data;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * The lines of a strictly decoded UTF-8 file, gunzipped first when its name ends in {@code .gz}. Lines end at
 * {@code \n} (a {@code \r} before it is dropped too); a final newline does not start an extra line; a leading BOM is
 * dropped. Malformed UTF-8 fails with the byte offset of the first bad byte (in the decompressed bytes) and its line.
 * The whole file is held in memory.
 */
public final class Utf8Lines {
    private Utf8Lines() {}

    public static List<String> read(Path file) throws IOException {
        byte[] bytes = readBytes(file);
        String text = decode(file, bytes);
        if (text.startsWith("\uFEFF")) {
            text = text.substring(1);
        }
        return split(text);
    }

    private static byte[] readBytes(Path file) throws IOException {
        if (!file.getFileName().toString().endsWith(".gz")) {
            return Files.readAllBytes(file);
        }
        try (InputStream in = new GZIPInputStream(Files.newInputStream(file), 1 << 16)) {
            return in.readAllBytes();
        } catch (ZipException | EOFException e) {
            throw new InputFormatException(file, -1, -1, null, "corrupt gzip data: " + e.getMessage(), e);
        }
    }

    private static String decode(Path file, byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length); // UTF-8 never gives more chars than bytes
        CoderResult result = decoder.decode(in, out, true);
        if (!result.isError()) {
            result = decoder.flush(out);
        }
        if (result.isError()) {
            int offset = in.position(); // the decoder stops right before the malformed sequence
            long line = 1;
            int lineStart = 0;
            for (int i = 0; i < offset; i++) {
                if (bytes[i] == '\n') {
                    line++;
                    lineStart = i + 1;
                }
            }
            int lineEnd = offset;
            while (lineEnd < bytes.length && bytes[lineEnd] != '\n') {
                lineEnd++;
            }
            throw new InputFormatException(
                    file,
                    line,
                    offset,
                    null,
                    "invalid UTF-8 at byte offset " + offset
                            + (file.getFileName().toString().endsWith(".gz") ? " of the decompressed data" : "")
                            + String.format(" (byte 0x%02X)", bytes[offset] & 0xFF)
                            + JapaneseLegacyEncodings.hint(bytes, lineStart, lineEnd));
        }
        if (result.isOverflow()) {
            throw new IllegalStateException("UTF-8 decoding overflowed its buffer");
        }
        return out.flip().toString();
    }

    private static List<String> split(String text) {
        List<String> lines = new ArrayList<>();
        int start = 0;
        while (start < text.length()) {
            int end = text.indexOf('\n', start);
            int next = end < 0 ? text.length() : end + 1;
            if (end < 0) {
                end = text.length();
            }
            if (end > start && text.charAt(end - 1) == '\r') {
                end--;
            }
            lines.add(text.substring(start, end));
            start = next;
        }
        return lines;
    }
}
