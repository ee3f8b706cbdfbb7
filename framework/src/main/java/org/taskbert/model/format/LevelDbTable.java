package org.taskbert.model.format;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Reads a whole uncompressed leveldb table (SSTable) into memory, in key order. Hand-written
 * because TensorFlow's bundle index is a one-file subset of leveldb's table format and no
 * maintained Java library reads a lone table.
 */
final class LevelDbTable {

    static final long MAGIC = 0xdb4775248b80fb57L;
    static final int FOOTER_SIZE = 48;
    static final int TRAILER_SIZE = 5;

    private final Path file;
    private final byte[] bytes;
    private final ByteBuffer le;

    private LevelDbTable(Path file, byte[] bytes) {
        this.file = file;
        this.bytes = bytes;
        this.le = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    /** All entries of the table, keys decoded as UTF-8, in table (sorted) order. */
    static LinkedHashMap<String, byte[]> read(Path file) throws IOException {
        return new LevelDbTable(file, Files.readAllBytes(file)).entries();
    }

    /** leveldb's crc mask, applied to stored checksums so that crcs of crc-bearing data stay distinct. */
    static int mask(int crc) {
        return ((crc >>> 15) | (crc << 17)) + 0xa282ead8;
    }

    private LinkedHashMap<String, byte[]> entries() throws IOException {
        int n = bytes.length;
        if (n < FOOTER_SIZE) {
            throw corrupt("only " + n + " bytes, shorter than the " + FOOTER_SIZE + "-byte table footer");
        }
        long magic = le.getLong(n - 8);
        if (magic != MAGIC) {
            throw corrupt(String.format("bad table magic 0x%016x (expected 0x%016x)", magic, MAGIC));
        }
        Cursor footer = new Cursor(n - FOOTER_SIZE, n - 8, "table footer");
        footer.handle(); // TF writes no filter blocks, so the metaindex is not needed
        long[] index = footer.handle();
        LinkedHashMap<String, byte[]> result = new LinkedHashMap<>();
        for (byte[][] indexEntry : block(index, "index")) {
            long[] data = new Cursor(indexEntry[1], "index entry").handle();
            for (byte[][] entry : block(data, "data")) {
                result.put(new String(entry[0], StandardCharsets.UTF_8), entry[1]);
            }
        }
        return result;
    }

    /** Key/value pairs of the block at {@code handle} = {offset, size}, after checking its trailer. */
    private List<byte[][]> block(long[] handle, String what) throws IOException {
        long offset = handle[0];
        long size = handle[1];
        long limit = bytes.length - FOOTER_SIZE - TRAILER_SIZE;
        if (offset < 0 || size < 4 || offset > limit || size > limit - offset) {
            throw corrupt(String.format(
                    "%s block handle [%d, +%d) lies outside the %d-byte file", what, offset, size, bytes.length));
        }
        int start = (int) offset;
        int end = start + (int) size;
        CRC32C crc = new CRC32C();
        crc.update(bytes, start, (int) size + 1);
        int computed = mask((int) crc.getValue());
        int stored = le.getInt(end + 1);
        if (computed != stored) {
            throw corrupt(String.format(
                    "%s block at offset %d fails its crc32c check (stored 0x%08x, computed 0x%08x)",
                    what, offset, stored, computed));
        }
        int type = bytes[end];
        if (type != 0) {
            throw new IOException(String.format(
                    "unsupported tensor bundle index %s: %s block at offset %d uses"
                            + " compression type %d%s; tensor bundles are uncompressed, only type 0 is supported",
                    file, what, offset, type, type == 1 ? " (snappy)" : ""));
        }
        int restarts = le.getInt(end - 4);
        long entriesEnd = end - 4 - 4L * restarts;
        if (restarts < 1 || entriesEnd < start) {
            throw corrupt(what + " block at offset " + offset + " has a bad restart count " + restarts);
        }
        Cursor in = new Cursor(start, (int) entriesEnd, what + " block at offset " + offset);
        List<byte[][]> entries = new ArrayList<>();
        byte[] key = new byte[0];
        while (in.pos < in.end) {
            int shared = in.varint32();
            int unshared = in.varint32();
            int valueLength = in.varint32();
            if (shared > key.length) {
                throw in.error("shares " + shared + " key bytes but the previous key has " + key.length);
            }
            byte[] next = Arrays.copyOf(key, shared + unshared);
            System.arraycopy(bytes, in.take(unshared), next, shared, unshared);
            key = next;
            int valueStart = in.take(valueLength);
            entries.add(new byte[][] {key, Arrays.copyOfRange(bytes, valueStart, valueStart + valueLength)});
        }
        return entries;
    }

    private IOException corrupt(String detail) {
        return new IOException("corrupt tensor bundle index " + file + ": " + detail);
    }

    /** Reads varints from bytes[pos, end). */
    private final class Cursor {
        private final byte[] buf;
        private final int end;
        private final String where;
        private int pos;

        Cursor(int pos, int end, String where) {
            this(bytes, pos, end, where);
        }

        Cursor(byte[] value, String where) {
            this(value, 0, value.length, where);
        }

        private Cursor(byte[] buf, int pos, int end, String where) {
            this.buf = buf;
            this.pos = pos;
            this.end = end;
            this.where = where;
        }

        long[] handle() throws IOException {
            return new long[] {varint64(), varint64()};
        }

        long varint64() throws IOException {
            long result = 0;
            for (int shift = 0; shift < 64; shift += 7) {
                if (pos >= end) {
                    throw error("varint runs past the end");
                }
                byte b = buf[pos++];
                result |= (long) (b & 0x7f) << shift;
                if (b >= 0) {
                    return result;
                }
            }
            throw error("varint longer than 10 bytes");
        }

        int varint32() throws IOException {
            long v = varint64();
            if (v < 0 || v > Integer.MAX_VALUE) {
                throw error("length " + v + " out of range");
            }
            return (int) v;
        }

        /** Skips {@code length} bytes and returns where they start. */
        int take(int length) throws IOException {
            if (length > end - pos) {
                throw error(length + " bytes needed at " + pos + " but only " + (end - pos) + " remain");
            }
            pos += length;
            return pos - length;
        }

        IOException error(String detail) {
            return corrupt("in " + where + ": " + detail);
        }
    }
}
