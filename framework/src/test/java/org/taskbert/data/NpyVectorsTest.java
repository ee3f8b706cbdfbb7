package org.taskbert.data;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.taskbert.data.InputErrorAssert.assertInputError;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class NpyVectorsTest {
    @TempDir
    Path dir;

    @Test
    void headerBytesAreExactlyNumpys() throws IOException {
        Path file = dir.resolve("v.npy");
        NpyVectors.write(file, List.of(new float[] {1f, 2f, 3f}, new float[] {-0.5f, 0f, Float.NaN}));
        byte[] bytes = Files.readAllBytes(file);
        assertArrayEquals(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0}, Arrays.copyOf(bytes, 8));
        int headerLength = (bytes[8] & 0xFF) | (bytes[9] & 0xFF) << 8;
        assertEquals(118, headerLength);
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }";
        assertEquals(
                dict + " ".repeat(118 - dict.length() - 1) + "\n",
                new String(bytes, 10, headerLength, StandardCharsets.US_ASCII));
        assertEquals(128 + 6 * 4, bytes.length);
        // data: little-endian float32, row by row; 1.0f is 0x3F800000
        assertArrayEquals(new byte[] {0, 0, (byte) 0x80, 0x3F}, Arrays.copyOfRange(bytes, 128, 132));
        assertEquals(
                Float.floatToIntBits(-0.5f),
                ByteBuffer.wrap(bytes, 128 + 12, 4)
                        .order(ByteOrder.LITTLE_ENDIAN)
                        .getInt());
    }

    @ParameterizedTest
    @CsvSource({"0, 0", "1, 1", "1500, 768", "9, 99999", "123456789, 1024", "2147483647, 2147483647"})
    void headerIsPaddedToA64ByteMultipleEndingInNewline(long rows, long cols) {
        byte[] header = NpyVectors.header(rows, cols);
        assertEquals(0, header.length % 64);
        assertEquals('\n', header[header.length - 1]);
        assertEquals(header.length - 10, (header[8] & 0xFF) | (header[9] & 0xFF) << 8);
        String text = new String(header, 10, header.length - 10, StandardCharsets.US_ASCII);
        assertEquals(
                "{'descr': '<f4', 'fortran_order': False, 'shape': (" + rows + ", " + cols + "), }",
                text.stripTrailing());
    }

    @Test
    void roundTripIsExactToTheBit() throws IOException {
        Path file = dir.resolve("v.npy");
        List<float[]> vectors = JsonlVectorsTest.awkwardVectors();
        NpyVectors.write(file, vectors);
        JsonlVectorsTest.assertSameBits(vectors, Arrays.asList(NpyVectors.read(file)));
    }

    @Test
    void emptyListIsShapeZeroByZero() throws IOException {
        Path file = dir.resolve("none.npy");
        NpyVectors.write(file, List.of());
        assertEquals(128, Files.size(file));
        assertEquals(0, NpyVectors.read(file).length);
    }

    @Test
    void zeroLengthVectorsKeepTheirCount() throws IOException {
        Path file = dir.resolve("zero.npy");
        NpyVectors.write(file, List.of(new float[0], new float[0]));
        assertEquals(2, NpyVectors.read(file).length);
    }

    @Test
    void rejectsVectorsOfDifferentLengthsKeepingTheOldFile() throws IOException {
        Path file = dir.resolve("v.npy");
        NpyVectors.write(file, List.of(new float[] {7f}));
        byte[] before = Files.readAllBytes(file);
        assertThrows(IllegalArgumentException.class, () -> NpyVectors.write(file, List.of(new float[2], new float[3])));
        assertArrayEquals(before, Files.readAllBytes(file));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList());
        }
    }

    /** A hand-made .npy file with the given version and header dict, followed by data. */
    private Path npy(String name, int major, String dict, ByteBuffer data) throws IOException {
        byte[] header = (dict + "\n").getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b =
                ByteBuffer.allocate(12 + header.length + data.remaining()).order(ByteOrder.LITTLE_ENDIAN);
        b.put(NpyVectors.MAGIC).put((byte) major).put((byte) 0);
        if (major == 1) {
            b.putShort((short) header.length);
        } else {
            b.putInt(header.length);
        }
        b.put(header).put(data);
        Path file = dir.resolve(name);
        Files.write(file, Arrays.copyOf(b.array(), b.position()));
        return file;
    }

    private static ByteBuffer floats(ByteOrder order, float... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(order);
        b.asFloatBuffer().put(values);
        return b;
    }

    @Test
    void readsFortranOrderBigEndianAndVersion2() throws IOException {
        float[][] expected = {{1, 2, 3}, {4, 5, 6}};
        Path fortran = npy(
                "f.npy",
                1,
                "{'descr': '<f4', 'fortran_order': True, 'shape': (2, 3), }",
                floats(ByteOrder.LITTLE_ENDIAN, 1, 4, 2, 5, 3, 6));
        assertArrayEquals(expected, NpyVectors.read(fortran));
        Path big = npy(
                "b.npy",
                2,
                "{'descr': '>f4', 'fortran_order': False, 'shape': (2,3)}",
                floats(ByteOrder.BIG_ENDIAN, 1, 2, 3, 4, 5, 6));
        assertArrayEquals(expected, NpyVectors.read(big));
    }

    @Test
    void badFilesNameFileAndByteOffset() throws IOException {
        Path notNpy = dir.resolve("x.npy");
        Files.writeString(notNpy, "[1.0, 2.0]\n");
        assertEquals(
                0,
                assertInputError(notNpy, -1, null, "not an .npy file", () -> NpyVectors.read(notNpy))
                        .byteOffset());

        Path tiny = dir.resolve("tiny.npy");
        Files.write(tiny, Arrays.copyOf(NpyVectors.MAGIC, 4));
        assertInputError(tiny, -1, null, "truncated .npy file", () -> NpyVectors.read(tiny));

        Path doubles =
                npy("d.npy", 1, "{'descr': '<f8', 'fortran_order': False, 'shape': (1, 1), }", ByteBuffer.allocate(8));
        assertEquals(
                10,
                assertInputError(
                                doubles,
                                -1,
                                "descr",
                                "expected float32 data ('<f4'), got '<f8'",
                                () -> NpyVectors.read(doubles))
                        .byteOffset());

        Path flat = npy(
                "flat.npy", 1, "{'descr': '<f4', 'fortran_order': False, 'shape': (3,), }", ByteBuffer.allocate(12));
        assertInputError(flat, -1, "shape", "expected a 2-D shape", () -> NpyVectors.read(flat));

        Path noShape = npy("ns.npy", 1, "{'descr': '<f4', 'fortran_order': False}", ByteBuffer.allocate(0));
        assertInputError(noShape, -1, "shape", "no 'shape' in .npy header", () -> NpyVectors.read(noShape));
    }

    @Test
    void dataOfTheWrongSizeIsAnError() throws IOException {
        Path file = dir.resolve("v.npy");
        NpyVectors.write(file, List.of(new float[] {1, 2}, new float[] {3, 4}));
        byte[] bytes = Files.readAllBytes(file);
        Path truncated = dir.resolve("truncated.npy");
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length - 1));
        assertEquals(
                128,
                assertInputError(
                                truncated,
                                -1,
                                null,
                                "shape (2, 2) needs 16 bytes of data after byte " + "offset 128, the file has 15",
                                () -> NpyVectors.read(truncated))
                        .byteOffset());
        Path extra = dir.resolve("extra.npy");
        Files.write(extra, Arrays.copyOf(bytes, bytes.length + 4));
        assertInputError(extra, -1, null, "the file has 20", () -> NpyVectors.read(extra));
    }
}
