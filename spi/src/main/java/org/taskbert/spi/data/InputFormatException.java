package org.taskbert.spi.data;

import java.nio.file.Path;

/**
 * Bad content in an input file, located by file, 1-based line, byte offset and field where known; the message reads
 * like a compiler's: {@code stsb/dev.jsonl:17: missing field 'sentence2'}.
 */
public class InputFormatException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final transient Path file;
    private final long line;
    private final long byteOffset;
    private final String field;

    /**
     * @param line 1-based line, or -1 if unknown or not line-oriented
     * @param byteOffset 0-based offset into the (decompressed) bytes, or -1
     * @param field the offending JSON field, or null
     * @param detail what is wrong, without the location prefix
     */
    public InputFormatException(Path file, long line, long byteOffset, String field, String detail, Throwable cause) {
        super(file + (line > 0 ? ":" + line : "") + ": " + detail, cause);
        this.file = file;
        this.line = line;
        this.byteOffset = byteOffset;
        this.field = field;
    }

    public InputFormatException(Path file, long line, long byteOffset, String field, String detail) {
        this(file, line, byteOffset, field, detail, null);
    }

    public Path file() {
        return file;
    }

    /** 1-based line, or -1. */
    public long line() {
        return line;
    }

    /** 0-based byte offset, or -1. */
    public long byteOffset() {
        return byteOffset;
    }

    /** The offending field, or null. */
    public String field() {
        return field;
    }
}
