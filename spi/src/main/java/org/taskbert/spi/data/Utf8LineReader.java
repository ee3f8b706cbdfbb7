package org.taskbert.spi.data;

import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

/**
 * Streams the lines of a strictly decoded UTF-8 file, gunzipped when its name ends in {@code .gz}. Lines end at
 * {@code \n} (a {@code \r} before it is dropped); a leading BOM is dropped. Bad UTF-8 or gzip data fails with the
 * file and line (and the byte offset into the decompressed bytes). Only one line is held at a time, and a line
 * longer than a bound ({@link #MAX_LINE_BYTES} by default) fails with its file, line and byte offset, so a gzip bomb
 * (a gigabyte of one endless line, compressed to a megabyte) costs at most the bound in memory.
 */
public final class Utf8LineReader implements Closeable {
    /** The longest line read by default: 16 MiB, far above any text or JSONL record taskbert reads. */
    public static final int MAX_LINE_BYTES = 16 << 20;

    private final Path file;
    private final int maxLineBytes;
    private final InputStream in;
    private final CharsetDecoder decoder = StandardCharsets.UTF_8
            .newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT);
    private final byte[] buffer = new byte[1 << 16];
    private int pos;
    private int limit;
    private byte[] line = new byte[1 << 12];
    private long lineNumber;
    private long lineOffset;
    private long consumed;

    public Utf8LineReader(Path file) throws IOException {
        this(file, MAX_LINE_BYTES);
    }

    /**
     * Opens {@code file}, whose lines may be at most {@code maxLineBytes} bytes long (the {@code \n} not counted). A
     * missing file or a folder fails here, naming it.
     */
    public Utf8LineReader(Path file, int maxLineBytes) throws IOException {
        if (maxLineBytes < 1) {
            throw new IllegalArgumentException("maxLineBytes must be >= 1, got " + maxLineBytes);
        }
        this.file = file;
        this.maxLineBytes = maxLineBytes;
        if (Files.isDirectory(file)) {
            throw new FileSystemException(file.toString(), null, "is a folder, not a file");
        }
        InputStream raw;
        try {
            raw = Files.newInputStream(file);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file.toString(), null, "does not exist");
        }
        try {
            this.in = file.getFileName().toString().endsWith(".gz") ? new GZIPInputStream(raw, 1 << 16) : raw;
        } catch (ZipException | EOFException e) {
            raw.close();
            throw new InputFormatException(file, -1, -1, null, "corrupt gzip data: " + e.getMessage(), e);
        }
    }

    /** The next line, or null at the end of the file. */
    public String readLine() throws IOException {
        int length = 0;
        boolean any = false;
        boolean newline = false;
        while (true) {
            if (pos == limit && !fill()) {
                if (!any) {
                    return null;
                }
                break;
            }
            any = true;
            int start = pos;
            while (pos < limit && buffer[pos] != '\n') {
                pos++;
            }
            int n = pos - start;
            if (length + n > maxLineBytes) {
                throw new InputFormatException(
                        file,
                        lineNumber + 1,
                        consumed,
                        null,
                        "line longer than " + maxLineBytes + " bytes (it starts at byte offset " + consumed
                                + "): not a file of lines");
            }
            if (length + n > line.length) {
                line = Arrays.copyOf(line, (int) Math.min(maxLineBytes, Math.max(2L * line.length, length + n)));
            }
            System.arraycopy(buffer, start, line, length, n);
            length += n;
            if (pos < limit) {
                pos++; // the '\n'
                newline = true;
                break;
            }
        }
        int from = lineNumber == 0
                        && length >= 3
                        && (line[0] & 0xFF) == 0xEF
                        && (line[1] & 0xFF) == 0xBB
                        && (line[2] & 0xFF) == 0xBF
                ? 3
                : 0;
        if (from == length && from > 0 && !newline) {
            return null; // a file holding only the BOM has no lines, as Utf8Lines reads it
        }
        lineNumber++;
        lineOffset = consumed;
        consumed += length + 1;
        int to = length > from && line[length - 1] == '\r' ? length - 1 : length;
        return decode(from, to);
    }

    /** The 1-based number of the line last returned. */
    public long lineNumber() {
        return lineNumber;
    }

    private String decode(int from, int to) {
        ByteBuffer bytes = ByteBuffer.wrap(line, from, to - from);
        try {
            CharBuffer chars = decoder.reset().decode(bytes);
            return chars.toString();
        } catch (CharacterCodingException e) {
            int bad = bytes.position(); // the decoder stops right before the malformed sequence
            long offset = lineOffset + bad;
            throw new InputFormatException(
                    file,
                    lineNumber,
                    offset,
                    null,
                    "invalid UTF-8 at byte offset " + offset
                            + (file.getFileName().toString().endsWith(".gz") ? " of the decompressed data" : "")
                            + String.format(" (byte 0x%02X)", line[bad] & 0xFF)
                            + JapaneseLegacyEncodings.hint(line, from, to),
                    e);
        }
    }

    private boolean fill() throws IOException {
        try {
            limit = in.read(buffer);
        } catch (ZipException | EOFException e) {
            throw new InputFormatException(file, lineNumber + 1, -1, null, "corrupt gzip data: " + e.getMessage(), e);
        }
        pos = 0;
        if (limit <= 0) {
            limit = 0;
            return false;
        }
        return true;
    }

    @Override
    public void close() throws IOException {
        in.close();
    }
}
