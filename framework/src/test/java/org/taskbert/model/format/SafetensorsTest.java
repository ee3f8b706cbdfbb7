package org.taskbert.model.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.taskbert.model.format.TensorBundleReaderTest.assertContains;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taskbert.model.Tensor;

class SafetensorsTest {

    @TempDir
    Path dir;

    @Test
    void f32RoundTripKeepsOrderValuesAndMetadata() throws IOException {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        tensors.put("b.weight", new Tensor(new long[] {2, 3}, new float[] {1, -2, 3.5f, Float.NaN, -0f, 1e-40f}));
        tensors.put("a.bias", new Tensor(new long[] {3}, new float[] {Float.MAX_VALUE, Float.NEGATIVE_INFINITY, 0}));
        tensors.put("scalar", new Tensor(new long[0], new float[] {42}));
        tensors.put("empty", new Tensor(new long[] {0, 5}, new float[0]));
        float[] big = new float[300_000]; // more than one 1 MiB write chunk
        for (int i = 0; i < big.length; i++) {
            big[i] = i * 0.5f;
        }
        tensors.put("big", new Tensor(new long[] {1000, 300}, big));
        Path file = dir.resolve("model.safetensors");
        Files.write(file, new byte[] {1, 2, 3}); // replaced atomically

        Safetensors.write(file, tensors, Map.of("format", "pt"));

        Map<String, Tensor> back = Safetensors.read(file);
        assertEquals(List.copyOf(tensors.keySet()), List.copyOf(back.keySet()));
        for (String name : tensors.keySet()) {
            assertArrayEquals(tensors.get(name).shape(), back.get(name).shape(), name);
            assertArrayEquals(tensors.get(name).data(), back.get(name).data(), name);
        }
        assertEquals(Map.of("format", "pt"), Safetensors.metadata(file));
        long headerLength = ByteBuffer.wrap(Files.readAllBytes(file), 0, 8)
                .order(ByteOrder.LITTLE_ENDIAN)
                .getLong();
        assertEquals(0, headerLength % 8, "data starts 8-byte aligned");
        try (var files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList(), "no temporary file left behind");
        }
    }

    @Test
    void decodesF16AndBf16Exactly() throws IOException {
        // 1.0, -2.5, 65504 (largest half), 2^-24 (smallest subnormal), -0, +inf, -inf, NaN
        short[] f16 = {0x3c00, (short) 0xc100, 0x7bff, 0x0001, (short) 0x8000, 0x7c00, (short) 0xfc00, 0x7e00};
        // 1.0, -2.5, 65280 (0x477f), 2^-133 (smallest bf16 subnormal), -0, +inf, -inf, NaN
        short[] bf16 = {0x3f80, (short) 0xc020, 0x477f, 0x0001, (short) 0x8000, 0x7f80, (short) 0xff80, 0x7fc0};
        Path file = raw(
                "{\"h\":{\"dtype\":\"F16\",\"shape\":[8],\"data_offsets\":[0,16]},"
                        + "\"b\":{\"dtype\":\"BF16\",\"shape\":[2,4],\"data_offsets\":[16,32]}}",
                concat(shorts(f16), shorts(bf16)));

        Map<String, Tensor> t = Safetensors.read(file);

        float inf = Float.POSITIVE_INFINITY;
        assertArrayEquals(
                new float[] {1f, -2.5f, 65504f, 0x1p-24f, -0f, inf, -inf, Float.NaN},
                t.get("h").data());
        assertArrayEquals(
                new float[] {1f, -2.5f, 65280f, 0x1p-133f, -0f, inf, -inf, Float.NaN},
                t.get("b").data());
        assertEquals(
                Float.floatToRawIntBits(-0f), Float.floatToRawIntBits(t.get("h").data()[4]));
        assertTrue(Float.isNaN(t.get("h").data()[7]));
        assertArrayEquals(new long[] {2, 4}, t.get("b").shape());
    }

    @Test
    void truncatedFile() throws IOException {
        Path file = dir.resolve("short.safetensors");
        Files.write(file, new byte[] {5, 0, 0});
        assertContains(assertThrows(IOException.class, () -> Safetensors.read(file)), "truncated", file.toString());
    }

    @Test
    void headerLengthBeyondTheFile() throws IOException {
        Path file = dir.resolve("x.safetensors");
        Files.write(file, concat(le(8).putLong(1000).array(), "{}".getBytes(StandardCharsets.UTF_8)));
        assertContains(
                assertThrows(IOException.class, () -> Safetensors.read(file)),
                file.toString(),
                "header length 1000 is beyond the file (10 bytes)");
    }

    @Test
    void offsetsBeyondTheData() throws IOException {
        Path file = raw("{\"w\":{\"dtype\":\"F32\",\"shape\":[4],\"data_offsets\":[0,16]}}", new byte[12]);
        assertContains(
                assertThrows(IOException.class, () -> Safetensors.read(file)),
                "tensor 'w'",
                file.toString(),
                "out of range",
                "12 bytes");
    }

    @Test
    void overlappingTensors() throws IOException {
        Path file = raw(
                "{\"a\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[0,8]},"
                        + "\"b\":{\"dtype\":\"F32\",\"shape\":[2],\"data_offsets\":[4,12]}}",
                new byte[12]);
        assertContains(
                assertThrows(IOException.class, () -> Safetensors.read(file)),
                file.toString(),
                "'a'",
                "'b'",
                "overlap");
    }

    @Test
    void sizeThatDisagreesWithTheShape() throws IOException {
        Path file = raw("{\"a\":{\"dtype\":\"F16\",\"shape\":[3],\"data_offsets\":[0,8]}}", new byte[8]);
        assertContains(
                assertThrows(IOException.class, () -> Safetensors.read(file)),
                "tensor 'a'",
                file.toString(),
                "needs 6 bytes");
    }

    @Test
    void unsupportedDtype() throws IOException {
        Path file = raw("{\"ids\":{\"dtype\":\"I64\",\"shape\":[1],\"data_offsets\":[0,8]}}", new byte[8]);
        assertContains(
                assertThrows(IOException.class, () -> Safetensors.read(file)),
                "unsupported dtype 'I64'",
                "tensor 'ids'",
                file.toString());
    }

    @Test
    void headerThatIsNotJson() throws IOException {
        Path file = raw("{\"a\": [", new byte[0]);
        assertContains(
                assertThrows(IOException.class, () -> Safetensors.read(file)),
                "bad safetensors header",
                file.toString());
    }

    /** A safetensors file with this exact header text and data buffer. */
    private Path raw(String header, byte[] data) throws IOException {
        byte[] json = header.getBytes(StandardCharsets.UTF_8);
        Path file = dir.resolve("raw.safetensors");
        Files.write(file, concat(le(8).putLong(json.length).array(), json, data));
        return file;
    }

    private static byte[] shorts(short[] values) {
        ByteBuffer b = le(2 * values.length);
        for (short v : values) {
            b.putShort(v);
        }
        return b.array();
    }

    private static byte[] concat(byte[]... parts) {
        return TensorBundleWriter.concat(parts);
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }
}
