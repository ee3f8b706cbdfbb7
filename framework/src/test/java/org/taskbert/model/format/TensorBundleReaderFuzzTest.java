package org.taskbert.model.format;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.CodedInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Timeout;
import org.taskbert.fuzz.HostileInput;
import org.taskbert.model.Tensor;

/**
 * Fuzzes {@link TensorBundleReader} (and {@link LevelDbTable} under it) with a bundle folder: {@code variables.index}
 * and its data shards. Byte 0 of the input chooses how the index is made:
 *
 * <ul>
 *   <li>bit 0 clear, raw: bytes 1-2 (little-endian) are the index's length, then the index file's bytes, then the
 *       shard's. Mutations exercise the table's own checks (footer, block handles, crc32c, varints).
 *   <li>bit 0 set, entries: byte 1 is a count of (key, value) entries, each a length byte and its bytes, then the
 *       shard; the harness writes them as a table with valid block checksums (blocks of {@code 64 << bits 2-3} bytes,
 *       restarts every {@code 1 + bits 4-5} entries), so mutations reach the BundleHeaderProto and BundleEntryProto
 *       parsing and the tensor reads. With bit 1 set, each entry also gets the masked crc32c of the bytes it points
 *       at (a later field 6 overrides an earlier one), so the reads get past the tensor checksum.
 * </ul>
 *
 * The shard is written as {@code variables.data-00000-of-00001}, and in two halves as the shards of a two-shard
 * bundle. Seeds: {@code TensorBundleReaderFuzzTestInputs/readsOrRefuses/}.
 */
class TensorBundleReaderFuzzTest {

    private static final Path DIR = HostileInput.scratch("bundle");

    @FuzzTest(maxDuration = "15s")
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void readsOrRefuses(byte[] input) throws Exception {
        ByteBuffer in = ByteBuffer.wrap(input).order(ByteOrder.LITTLE_ENDIAN);
        int mode = in.hasRemaining() ? in.get() & 0xFF : 0;
        Path index = DIR.resolve("variables.index");
        if ((mode & 1) == 0) {
            int length = in.remaining() >= 2 ? Math.min(in.getShort() & 0xFFFF, in.remaining()) : 0;
            Files.write(index, take(in, length));
            writeShards(take(in, in.remaining()));
        } else {
            List<byte[][]> entries = new ArrayList<>();
            int count = in.hasRemaining() ? in.get() & 0xFF : 0;
            for (int i = 0; i < count && in.hasRemaining(); i++) {
                byte[] key = take(in, in.get() & 0xFF);
                byte[] value = take(in, in.hasRemaining() ? in.get() & 0xFF : 0);
                entries.add(new byte[][] {key, value});
            }
            byte[] shard = take(in, in.remaining());
            writeShards(shard);
            int blockSize = 64 << ((mode >> 2) & 3);
            int restartInterval = 1 + ((mode >> 4) & 3);
            TensorBundleWriter.writeIndex(index, entries, blockSize, restartInterval);
            if ((mode & 2) != 0) {
                TensorBundleWriter.writeIndex(index, withChecksums(entries, shard), blockSize, restartInterval);
            }
        }
        HostileInput.mustReadOrRefuse(HostileInput.OWN_OR_IO, () -> {
            try (TensorBundleReader reader = TensorBundleReader.open(DIR)) {
                for (String name : reader.names()) {
                    TensorBundleReader.Entry entry = reader.entry(name);
                    if (entry.isFloat()) {
                        Tensor t = reader.readFloat(name);
                        assertEquals(t.data().length, Arrays.stream(t.shape()).reduce(1, Math::multiplyExact));
                    }
                }
                reader.readAllFloat(name -> true);
            }
        });
    }

    /** The entries, each followed by field 6 holding the masked crc32c of the shard bytes it points at. */
    private static List<byte[][]> withChecksums(List<byte[][]> entries, byte[] shard) {
        List<byte[][]> fixed = new ArrayList<>();
        try (TensorBundleReader reader = TensorBundleReader.open(DIR)) {
            int numShards = 1;
            for (byte[][] e : entries) {
                if (e[0].length == 0) { // the header: BundleHeaderProto, num_shards = 1
                    CodedInputStream header = CodedInputStream.newInstance(e[1]);
                    for (int tag; (tag = header.readTag()) != 0; ) {
                        if (tag == (1 << 3)) {
                            numShards = header.readInt32();
                        } else {
                            header.skipField(tag);
                        }
                    }
                }
            }
            for (byte[][] e : entries) {
                String name = new String(e[0], StandardCharsets.UTF_8);
                TensorBundleReader.Entry entry = reader.names().contains(name) ? reader.entry(name) : null;
                byte[] bytes = entry == null ? null : shardBytes(shard, numShards, entry);
                if (bytes == null) {
                    fixed.add(e);
                    continue;
                }
                CRC32C crc = new CRC32C();
                crc.update(bytes);
                ByteBuffer field = ByteBuffer.allocate(5).order(ByteOrder.LITTLE_ENDIAN);
                field.put((byte) (6 << 3 | 5)).putInt(LevelDbTable.mask((int) crc.getValue()));
                fixed.add(new byte[][] {e[0], TensorBundleWriter.concat(e[1], field.array())});
            }
        } catch (IOException | RuntimeException e) {
            return entries; // the index is refused before any tensor is read: nothing to fix
        }
        return fixed;
    }

    /** The bytes {@code entry} points at in its shard as {@link #writeShards} wrote it, or null if out of range. */
    private static byte[] shardBytes(byte[] shard, int numShards, TensorBundleReader.Entry entry) {
        int half = shard.length / 2;
        byte[] file = numShards == 1
                ? shard
                : entry.shard() == 0 ? Arrays.copyOf(shard, half) : Arrays.copyOfRange(shard, half, shard.length);
        if (entry.offset() < 0 || entry.size() < 0 || entry.size() > file.length - entry.offset()) {
            return null;
        }
        return Arrays.copyOfRange(file, (int) entry.offset(), (int) (entry.offset() + entry.size()));
    }

    private static void writeShards(byte[] shard) throws IOException {
        int half = shard.length / 2;
        Files.write(DIR.resolve("variables.data-00000-of-00001"), shard);
        Files.write(DIR.resolve("variables.data-00000-of-00002"), Arrays.copyOf(shard, half));
        Files.write(DIR.resolve("variables.data-00001-of-00002"), Arrays.copyOfRange(shard, half, shard.length));
    }

    private static byte[] take(ByteBuffer in, int length) {
        byte[] bytes = new byte[Math.min(length, in.remaining())];
        in.get(bytes);
        return bytes;
    }
}
