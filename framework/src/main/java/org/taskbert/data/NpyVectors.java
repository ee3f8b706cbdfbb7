package org.taskbert.data;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.taskbert.spi.data.AtomicFile;
import org.taskbert.spi.data.InputFormatException;

/**
 * Float vectors as a 2-D float32 NumPy {@code .npy} file, shape (N, D), readable with {@code numpy.load}. Writes
 * format 1.0, little-endian, C order, header padded to a multiple of 64 bytes; reads formats 1.0 to 3.0 with
 * {@code <f4} or {@code >f4} data in C or Fortran order.
 */
public final class NpyVectors {
    static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};
    private static final Pattern DESCR = Pattern.compile("'descr'\\s*:\\s*'([^']*)'");
    private static final Pattern FORTRAN = Pattern.compile("'fortran_order'\\s*:\\s*(True|False)");
    private static final Pattern SHAPE = Pattern.compile("'shape'\\s*:\\s*\\(([^)]*)\\)");

    private NpyVectors() {}

    /** Writes the vectors as rows, in order, atomically; they must all have the same length (no rows: shape (0, 0)). */
    public static void write(Path file, List<float[]> vectors) throws IOException {
        int dim = vectors.isEmpty() ? 0 : vectors.get(0).length;
        for (int i = 1; i < vectors.size(); i++) {
            if (vectors.get(i).length != dim) {
                throw new IllegalArgumentException(
                        "vector " + i + " has " + vectors.get(i).length + " values, vector 0 has " + dim);
            }
        }
        byte[] header = header(vectors.size(), dim);
        AtomicFile.write(file, out -> {
            out.write(header);
            ByteBuffer row =
                    ByteBuffer.allocate(Math.multiplyExact(dim, Float.BYTES)).order(ByteOrder.LITTLE_ENDIAN);
            for (float[] vector : vectors) {
                row.clear();
                row.asFloatBuffer().put(vector);
                out.write(row.array());
            }
        });
    }

    /** Magic, version 1.0, header length and the header dict, padded with spaces to a multiple of 64 bytes. */
    static byte[] header(long rows, long cols) {
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + rows + ", " + cols + "), }";
        int unpadded = MAGIC.length + 4 + dict.length() + 1;
        String text = dict + " ".repeat((64 - unpadded % 64) % 64) + "\n";
        return ByteBuffer.allocate(MAGIC.length + 4 + text.length())
                .order(ByteOrder.LITTLE_ENDIAN)
                .put(MAGIC)
                .put((byte) 1)
                .put((byte) 0)
                .putShort((short) text.length())
                .put(text.getBytes(StandardCharsets.US_ASCII))
                .array();
    }

    /** Reads a 2-D float32 .npy file into rows; anything else fails with {@link InputFormatException}. */
    public static float[][] read(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            ByteBuffer prefix = readFully(file, channel, MAGIC.length + 2);
            for (byte b : MAGIC) {
                if (prefix.get() != b) {
                    throw new InputFormatException(file, -1, 0, null, "not an .npy file (bad magic at byte offset 0)");
                }
            }
            int major = prefix.get();
            if (major < 1 || major > 3) {
                throw new InputFormatException(file, -1, 6, null, "unsupported .npy format version " + major);
            }
            ByteBuffer length = readFully(file, channel, major == 1 ? 2 : 4);
            long headerLength =
                    major == 1 ? Short.toUnsignedInt(length.getShort()) : Integer.toUnsignedLong(length.getInt());
            long headerStart = channel.position();
            if (headerLength > 1 << 20) {
                throw new InputFormatException(
                        file,
                        -1,
                        headerStart - length.capacity(),
                        null,
                        "implausible .npy header length " + headerLength);
            }
            ByteBuffer headerBytes = readFully(file, channel, (int) headerLength);
            String header =
                    new String(headerBytes.array(), major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);

            String descr = group(file, headerStart, header, DESCR, "descr");
            if (!descr.equals("<f4") && !descr.equals(">f4")) {
                throw new InputFormatException(
                        file, -1, headerStart, "descr", "expected float32 data ('<f4'), got '" + descr + "'");
            }
            boolean fortran =
                    group(file, headerStart, header, FORTRAN, "fortran_order").equals("True");
            String[] dims = group(file, headerStart, header, SHAPE, "shape").split(",");
            if (dims.length != 2 || dims[1].isBlank()) {
                throw new InputFormatException(
                        file,
                        -1,
                        headerStart,
                        "shape",
                        "expected a 2-D shape (N, D), got (" + String.join(",", dims) + ")");
            }
            int rows = dimension(file, headerStart, dims[0]);
            int cols = dimension(file, headerStart, dims[1]);
            long dataStart = channel.position();
            long dataBytes = (long) rows * cols * Float.BYTES;
            if (channel.size() - dataStart != dataBytes) {
                throw new InputFormatException(
                        file,
                        -1,
                        dataStart,
                        null,
                        "shape (" + rows + ", " + cols + ") needs "
                                + dataBytes + " bytes of data after byte offset " + dataStart + ", the file has "
                                + (channel.size() - dataStart));
            }
            ByteOrder order = descr.charAt(0) == '<' ? ByteOrder.LITTLE_ENDIAN : ByteOrder.BIG_ENDIAN;
            float[][] matrix = new float[rows][cols];
            if (!fortran) {
                for (float[] row : matrix) {
                    ByteBuffer bytes = readFully(file, channel, Math.multiplyExact(cols, Float.BYTES));
                    bytes.order(order).asFloatBuffer().get(row);
                }
            } else {
                for (int j = 0; j < cols; j++) {
                    ByteBuffer column = readFully(file, channel, Math.multiplyExact(rows, Float.BYTES))
                            .order(order);
                    for (int i = 0; i < rows; i++) {
                        matrix[i][j] = column.getFloat();
                    }
                }
            }
            return matrix;
        }
    }

    private static String group(Path file, long headerStart, String header, Pattern pattern, String key) {
        Matcher m = pattern.matcher(header);
        if (!m.find()) {
            throw new InputFormatException(
                    file, -1, headerStart, key, "no '" + key + "' in .npy header: " + header.strip());
        }
        return m.group(1).strip();
    }

    private static int dimension(Path file, long headerStart, String text) {
        int value;
        try {
            value = Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            value = -1;
        }
        if (value < 0) {
            throw new InputFormatException(
                    file,
                    -1,
                    headerStart,
                    "shape",
                    "bad dimension '" + text.strip() + "' in .npy shape (0 to " + Integer.MAX_VALUE + " supported)");
        }
        return value;
    }

    private static ByteBuffer readFully(Path file, FileChannel channel, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        long start = channel.position();
        while (buffer.hasRemaining()) {
            if (channel.read(buffer) < 0) {
                throw new InputFormatException(
                        file,
                        -1,
                        channel.position(),
                        null,
                        "truncated .npy file: expected " + length + " bytes from byte offset " + start,
                        new EOFException());
            }
        }
        return buffer.flip();
    }
}
