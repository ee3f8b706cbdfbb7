package org.taskbert.model.format;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taskbert.model.Tensor;

class TensorBundleReaderTest {

    private static final String EMB = "bert/embeddings/word_embeddings";
    private static final String K0 = "bert/encoder/layer_0/attention/self/query/kernel";
    private static final String B0 = "bert/encoder/layer_0/attention/self/query/bias";
    private static final String H1 = "bert/encoder/layer_1/attention/self/query/kernel";
    private static final String BF1 = "bert/encoder/layer_1/attention/self/query/bias";
    private static final String STEP = "global_step";
    private static final String SCALAR = "bert/scale";

    @TempDir
    Path dir;

    private static TensorBundleWriter bundle() {
        return new TensorBundleWriter()
                .blockSize(96)
                .restartInterval(2)
                .add(TensorBundleWriter.f32(
                        EMB,
                        new long[] {3, 4},
                        0f,
                        1f,
                        -2f,
                        3.5f,
                        Float.MIN_VALUE,
                        -0f,
                        1e30f,
                        -1e-30f,
                        7,
                        8,
                        9,
                        Float.MAX_VALUE))
                .add(TensorBundleWriter.f32(K0, new long[] {2, 3}, 1, 2, 3, 4, 5, 6))
                .add(TensorBundleWriter.f32(B0, new long[] {3}, 0.1f, 0.2f, 0.3f))
                .add(TensorBundleWriter.f16(H1, new long[] {2, 2}, 0x3c00, 0xc100, 0x7bff, 0x0001))
                .add(TensorBundleWriter.bf16(BF1, new long[] {2}, 0x3f80, 0xc020))
                .add(TensorBundleWriter.f32(SCALAR, new long[0], 0.125f))
                .add(TensorBundleWriter.int64(STEP, 1_000_000));
    }

    @Test
    void readsWhatWasWritten() throws IOException {
        TensorBundleWriter.Written written = bundle().write(dir, "variables");
        assertTrue(written.dataBlocks() >= 2, "test table should span several data blocks: " + written.dataBlocks());
        try (TensorBundleReader reader = TensorBundleReader.open(dir)) {
            assertEquals(
                    List.of(EMB, K0, B0, BF1, H1, SCALAR, STEP).stream()
                            .sorted()
                            .toList(),
                    reader.names());
            TensorBundleReader.Entry e = reader.entry(K0);
            assertEquals("DT_FLOAT", e.dtypeName());
            assertArrayEquals(new long[] {2, 3}, e.shape());
            assertEquals(24, e.size());
            assertEquals("DT_INT64", reader.entry(STEP).dtypeName());

            Tensor emb = reader.readFloat(EMB);
            assertArrayEquals(new long[] {3, 4}, emb.shape());
            assertArrayEquals(
                    new float[] {0f, 1f, -2f, 3.5f, Float.MIN_VALUE, -0f, 1e30f, -1e-30f, 7, 8, 9, Float.MAX_VALUE},
                    emb.data());
            assertArrayEquals(
                    new float[] {1, 2, 3, 4, 5, 6}, reader.readFloat(K0).data());
            assertArrayEquals(
                    new float[] {1f, -2.5f, 65504f, 0x1p-24f},
                    reader.readFloat(H1).data());
            assertArrayEquals(new float[] {1f, -2.5f}, reader.readFloat(BF1).data());
            Tensor scalar = reader.readFloat(SCALAR);
            assertEquals(0, scalar.rank());
            assertArrayEquals(new float[] {0.125f}, scalar.data());

            Map<String, Tensor> all =
                    reader.readAllFloat(name -> name.startsWith("bert/encoder/") || name.equals(STEP));
            assertEquals(List.of(B0, K0, BF1, H1), List.copyOf(all.keySet()), "global_step is not float: skipped");

            IllegalArgumentException notFloat =
                    assertThrows(IllegalArgumentException.class, () -> reader.readFloat(STEP));
            assertContains(notFloat, "'global_step'", "DT_INT64");
            assertContains(assertThrows(IllegalArgumentException.class, () -> reader.entry("nope")), "'nope'");
        }
    }

    @Test
    void readsSeveralShardsAndAnIndexFileWithAnyPrefix() throws IOException {
        TensorBundleWriter.Written written =
                bundle().shards(3).restartInterval(1).write(dir, "model.ckpt-10");
        assertEquals(
                "model.ckpt-10.data-00002-of-00003",
                written.shards().get(2).getFileName().toString());
        try (TensorBundleReader reader = TensorBundleReader.open(written.index())) {
            assertEquals(1, reader.entry(B0).shard());
            assertArrayEquals(
                    new float[] {0.1f, 0.2f, 0.3f}, reader.readFloat(B0).data());
            assertArrayEquals(
                    new float[] {1, 2, 3, 4, 5, 6}, reader.readFloat(K0).data());
            assertEquals(6, reader.readAllFloat(name -> true).size());
        }
    }

    @Test
    void flippedDataByteIsAChecksumMismatchNamingTheTensor() throws IOException {
        TensorBundleWriter.Written written = bundle().write(dir, "variables");
        try (TensorBundleReader reader = TensorBundleReader.open(dir)) {
            flip(written.shards().get(0), reader.entry(K0).offset() + 5);
            IOException e = assertThrows(IOException.class, () -> reader.readFloat(K0));
            assertContains(
                    e,
                    "checksum mismatch",
                    "'" + K0 + "'",
                    written.shards().get(0).toString(),
                    "stored 0x");
            assertArrayEquals(
                    new float[] {0.1f, 0.2f, 0.3f}, reader.readFloat(B0).data(), "other tensors still read");
        }
    }

    @Test
    void truncatedShardSaysWhichBytesAreMissing() throws IOException {
        TensorBundleWriter.Written written = bundle().write(dir, "variables");
        Path shard = written.shards().get(0);
        try (TensorBundleReader reader = TensorBundleReader.open(dir)) {
            TensorBundleReader.Entry k0 = reader.entry(K0);
            try (RandomAccessFile f = new RandomAccessFile(shard.toFile(), "rw")) {
                f.setLength(k0.offset() + 3);
            }
            IOException e = assertThrows(IOException.class, () -> reader.readFloat(K0));
            assertContains(
                    e,
                    "truncated shard",
                    shard.toString(),
                    "'" + K0 + "'",
                    "needs bytes [" + k0.offset() + ", " + (k0.offset() + 24) + ")",
                    "has " + (k0.offset() + 3) + " bytes");
            assertArrayEquals(
                    new float[] {0.1f, 0.2f, 0.3f}, reader.readFloat(B0).data(), "earlier ones still read");
        }
    }

    @Test
    void brokenMagicIsAnIndexError() throws IOException {
        TensorBundleWriter.Written written = bundle().write(dir, "variables");
        flip(written.index(), Files.size(written.index()) - 1);
        assertContains(
                assertThrows(IOException.class, () -> TensorBundleReader.open(dir)),
                "corrupt tensor bundle index",
                written.index().toString(),
                "bad table magic");
    }

    @Test
    void handleOutsideTheFileIsAnIndexError() throws IOException {
        TensorBundleWriter.Written written = bundle().write(dir, "variables");
        byte[] bytes = Files.readAllBytes(written.index());
        ByteBuffer footer = ByteBuffer.wrap(bytes, bytes.length - 48, 40);
        footer.put(TensorBundleWriter.concat(
                TensorBundleWriter.varint(0),
                TensorBundleWriter.varint(5),
                TensorBundleWriter.varint(1_000_000),
                TensorBundleWriter.varint(10)));
        Files.write(written.index(), bytes);
        assertContains(
                assertThrows(IOException.class, () -> TensorBundleReader.open(dir)),
                written.index().toString(),
                "index block handle [1000000, +10) lies outside");
    }

    @Test
    void corruptIndexBlockFailsItsCrc() throws IOException {
        TensorBundleWriter.Written written = bundle().write(dir, "variables");
        flip(written.index(), 2); // inside the first data block
        assertContains(
                assertThrows(IOException.class, () -> TensorBundleReader.open(dir)),
                written.index().toString(),
                "data block at offset 0 fails its crc32c check");
    }

    @Test
    void compressedBlocksAreRejected() throws IOException {
        TensorBundleWriter.Written written = bundle().compressionType(1).write(dir, "variables");
        assertContains(
                assertThrows(IOException.class, () -> TensorBundleReader.open(dir)),
                written.index().toString(),
                "compression type 1 (snappy)");
    }

    @Test
    void tooShortIndexIsAnIndexError() throws IOException {
        Path index = dir.resolve("variables.index");
        Files.write(index, new byte[20]);
        assertContains(
                assertThrows(IOException.class, () -> TensorBundleReader.open(dir)),
                index.toString(),
                "shorter than the 48-byte table footer");
    }

    @Test
    void missingShardIsNamed() throws IOException {
        TensorBundleWriter.Written written = bundle().shards(2).write(dir, "variables");
        Files.delete(written.shards().get(1));
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> TensorBundleReader.open(dir));
        assertContains(e, "variables.data-00001-of-00002", "missing data shard 2 of 2");
    }

    @Test
    void missingIndexIsNamed() {
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> TensorBundleReader.open(dir));
        assertContains(e, dir.resolve("variables.index").toString(), "tensor bundle index not found");
    }

    private static void flip(Path file, long position) throws IOException {
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.seek(position);
            int b = f.read();
            f.seek(position);
            f.write(b ^ 0x40);
        }
    }

    static void assertContains(Throwable e, String... parts) {
        for (String part : parts) {
            assertTrue(
                    String.valueOf(e.getMessage()).contains(part), "message lacks \"" + part + "\": " + e.getMessage());
        }
    }
}
