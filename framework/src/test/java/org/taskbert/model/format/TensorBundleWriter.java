package org.taskbert.model.format;

import com.google.protobuf.CodedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * Test-only writer of small TensorFlow tensor bundles: {@code <prefix>.index} as a leveldb table (prefix-compressed
 * keys, restart points, block trailers with masked crc32c, footer) and the data shards, like TF's BundleWriter.
 */
public final class TensorBundleWriter {

    /** A tensor to write: its TF dtype code, shape and raw little-endian bytes. */
    public record Item(String name, int dtype, long[] shape, byte[] bytes) {}

    /** What was written. */
    public record Written(Path index, List<Path> shards, int dataBlocks) {}

    private int blockSize = 4096;
    private int restartInterval = 16;
    private int compressionType = 0;
    private int numShards = 1;
    private final List<Item> items = new ArrayList<>();

    TensorBundleWriter blockSize(int bytes) {
        blockSize = bytes;
        return this;
    }

    TensorBundleWriter restartInterval(int entries) {
        restartInterval = entries;
        return this;
    }

    TensorBundleWriter compressionType(int type) {
        compressionType = type;
        return this;
    }

    /** Spreads the tensors round-robin (in name order) over this many data shards. */
    TensorBundleWriter shards(int n) {
        numShards = n;
        return this;
    }

    public TensorBundleWriter add(Item item) {
        items.add(item);
        return this;
    }

    public static Item f32(String name, long[] shape, float... values) {
        ByteBuffer b = le(4 * values.length);
        b.asFloatBuffer().put(values);
        return new Item(name, TensorBundleReader.DT_FLOAT, shape, b.array());
    }

    public static Item f16(String name, long[] shape, int... bits) {
        return new Item(name, TensorBundleReader.DT_HALF, shape, shorts(bits));
    }

    public static Item bf16(String name, long[] shape, int... bits) {
        return new Item(name, TensorBundleReader.DT_BFLOAT16, shape, shorts(bits));
    }

    public static Item int64(String name, long value) {
        return new Item(name, 9, new long[0], le(8).putLong(value).array());
    }

    public Written write(Path dir, String prefix) throws IOException {
        List<Item> sorted = new ArrayList<>(items);
        sorted.sort(Comparator.comparing(Item::name)); // ASCII names: String order is leveldb's byte order
        List<ByteArrayOutputStream> data = new ArrayList<>();
        for (int i = 0; i < numShards; i++) {
            data.add(new ByteArrayOutputStream());
        }
        List<byte[][]> entries = new ArrayList<>();
        entries.add(new byte[][] {new byte[0], header()});
        for (int i = 0; i < sorted.size(); i++) {
            Item item = sorted.get(i);
            int shard = i % numShards;
            ByteArrayOutputStream out = data.get(shard);
            CRC32C crc = new CRC32C();
            crc.update(item.bytes);
            entries.add(new byte[][] {
                item.name.getBytes(StandardCharsets.UTF_8),
                entry(item, shard, out.size(), LevelDbTable.mask((int) crc.getValue()))
            });
            out.write(item.bytes);
        }
        Path index = dir.resolve(prefix + ".index");
        int dataBlocks = writeTable(index, entries);
        List<Path> shardFiles = new ArrayList<>();
        for (int i = 0; i < numShards; i++) {
            Path shard = dir.resolve(String.format("%s.data-%05d-of-%05d", prefix, i, numShards));
            Files.write(shard, data.get(i).toByteArray());
            shardFiles.add(shard);
        }
        return new Written(index, shardFiles, dataBlocks);
    }

    // --- leveldb table

    /**
     * Writes {@code entries} (key, value) in the order given as a leveldb table with valid block checksums, whatever
     * the keys and values hold: for tests that hand-craft index entries.
     */
    static void writeIndex(Path file, List<byte[][]> entries, int blockSize, int restartInterval) throws IOException {
        new TensorBundleWriter()
                .blockSize(blockSize)
                .restartInterval(restartInterval)
                .writeTable(file, entries);
    }

    private int writeTable(Path file, List<byte[][]> entries) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        Block index = new Block(1);
        Block block = new Block(restartInterval);
        int dataBlocks = 0;
        for (int i = 0; i < entries.size(); i++) {
            block.add(entries.get(i)[0], entries.get(i)[1]);
            if (block.size() >= blockSize || i == entries.size() - 1) {
                index.add(entries.get(i)[0], writeBlock(out, block.finish())); // last key separates the blocks
                block = new Block(restartInterval);
                dataBlocks++;
            }
        }
        byte[] meta = writeBlock(out, new Block(1).finish());
        byte[] indexHandle = writeBlock(out, index.finish());
        ByteBuffer footer = le(LevelDbTable.FOOTER_SIZE);
        footer.put(meta).put(indexHandle).position(40);
        footer.putLong(LevelDbTable.MAGIC);
        out.write(footer.array());
        Files.write(file, out.toByteArray());
        return dataBlocks;
    }

    /** Appends block contents and their trailer; returns the block's handle. */
    private byte[] writeBlock(ByteArrayOutputStream out, byte[] contents) {
        byte[] handle = concat(varint(out.size()), varint(contents.length));
        out.writeBytes(contents);
        out.write(compressionType);
        CRC32C crc = new CRC32C();
        crc.update(contents);
        crc.update(compressionType);
        out.writeBytes(le(4).putInt(LevelDbTable.mask((int) crc.getValue())).array());
        return handle;
    }

    /** leveldb block builder: shared-prefix keys, a restart point every {@code interval} entries. */
    private static final class Block {
        private final int interval;
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();
        private final List<Integer> restarts = new ArrayList<>(List.of(0));
        private byte[] lastKey = new byte[0];
        private int sinceRestart;

        Block(int interval) {
            this.interval = interval;
        }

        void add(byte[] key, byte[] value) {
            int shared = 0;
            if (sinceRestart == interval) {
                restarts.add(out.size());
                sinceRestart = 0;
            } else {
                while (shared < Math.min(key.length, lastKey.length) && key[shared] == lastKey[shared]) {
                    shared++;
                }
            }
            out.writeBytes(concat(varint(shared), varint(key.length - shared), varint(value.length)));
            out.write(key, shared, key.length - shared);
            out.writeBytes(value);
            lastKey = key;
            sinceRestart++;
        }

        int size() {
            return out.size() + 4 * restarts.size() + 4;
        }

        byte[] finish() {
            ByteBuffer tail = le(4 * restarts.size() + 4);
            restarts.forEach(tail::putInt);
            tail.putInt(restarts.size());
            return concat(out.toByteArray(), tail.array());
        }
    }

    // --- protobuf

    private byte[] header() throws IOException {
        return proto(o -> {
            o.writeInt32(1, numShards);
            o.writeByteArray(3, proto(v -> v.writeInt32(1, 1))); // VersionDef { producer: 1 }
        });
    }

    private static byte[] entry(Item item, int shard, long offset, int crc) throws IOException {
        return proto(o -> {
            o.writeEnum(1, item.dtype);
            o.writeByteArray(2, proto(s -> {
                for (long d : item.shape) {
                    s.writeByteArray(2, proto(dim -> dim.writeInt64(1, d)));
                }
            }));
            if (shard != 0) {
                o.writeInt32(3, shard);
            }
            if (offset != 0) {
                o.writeInt64(4, offset);
            }
            o.writeInt64(5, item.bytes.length);
            o.writeFixed32(6, crc);
        });
    }

    private interface Body {
        void write(CodedOutputStream out) throws IOException;
    }

    private static byte[] proto(Body body) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        body.write(out);
        out.flush();
        return bytes.toByteArray();
    }

    // --- bytes

    static byte[] varint(long v) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        while ((v & ~0x7fL) != 0) {
            out.write((int) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        out.write((int) v);
        return out.toByteArray();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] shorts(int... bits) {
        ByteBuffer b = le(2 * bits.length);
        for (int v : bits) {
            b.putShort((short) v);
        }
        return b.array();
    }

    private static ByteBuffer le(int size) {
        return ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
    }
}
