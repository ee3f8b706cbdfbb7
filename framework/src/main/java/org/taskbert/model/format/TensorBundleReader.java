package org.taskbert.model.format;

import com.google.protobuf.CodedInputStream;
import com.google.protobuf.WireFormat;
import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.zip.CRC32C;
import org.taskbert.model.Tensor;

/** Reads float weights from a TensorFlow tensor bundle (SavedModel variables or checkpoint) without TensorFlow. */
public final class TensorBundleReader implements Closeable {

    public static final int DT_FLOAT = 1;
    public static final int DT_BFLOAT16 = 14;
    public static final int DT_HALF = 19;

    /** One tensor's BundleEntryProto: where its bytes lie and what they hold. */
    public record Entry(
            String name, int dtype, long[] shape, int shard, long offset, long size, int crc32c, int slices) {

        /** TensorFlow's name for {@link #dtype}, e.g. "DT_FLOAT". */
        public String dtypeName() {
            return switch (dtype) {
                case 1 -> "DT_FLOAT";
                case 2 -> "DT_DOUBLE";
                case 3 -> "DT_INT32";
                case 4 -> "DT_UINT8";
                case 5 -> "DT_INT16";
                case 6 -> "DT_INT8";
                case 7 -> "DT_STRING";
                case 9 -> "DT_INT64";
                case 10 -> "DT_BOOL";
                case 14 -> "DT_BFLOAT16";
                case 19 -> "DT_HALF";
                default -> "DataType(" + dtype + ")";
            };
        }

        public long numElements() {
            return Arrays.stream(shape).reduce(1, Math::multiplyExact);
        }

        /** Whether {@link TensorBundleReader#readFloat} can read it. */
        public boolean isFloat() {
            return (dtype == DT_FLOAT || dtype == DT_HALF || dtype == DT_BFLOAT16) && slices == 0;
        }

        @Override
        public String toString() {
            return name + " " + dtypeName() + Arrays.toString(shape);
        }
    }

    private final Path indexFile;
    private final Map<String, Entry> entries;
    private final List<Path> shardFiles;
    private final List<FileChannel> shards;

    private TensorBundleReader(
            Path indexFile, Map<String, Entry> entries, List<Path> shardFiles, List<FileChannel> shards) {
        this.indexFile = indexFile;
        this.entries = entries;
        this.shardFiles = shardFiles;
        this.shards = shards;
    }

    /**
     * Opens a bundle given its folder (holding {@code variables.index}) or its {@code <prefix>.index} file, and
     * opens every data shard {@code <prefix>.data-0000K-of-0000N} next to it.
     */
    public static TensorBundleReader open(Path path) throws IOException {
        Path index = Files.isDirectory(path) ? path.resolve("variables.index") : path;
        if (!Files.isRegularFile(index)) {
            throw new NoSuchFileException(index.toString(), null, "tensor bundle index not found");
        }
        String fileName = index.getFileName().toString();
        if (!fileName.endsWith(".index")) {
            throw new IOException("not a tensor bundle index (its name must end in .index): " + index);
        }
        Map<String, byte[]> table = LevelDbTable.read(index);
        byte[] header = table.remove("");
        if (header == null) {
            throw new IOException("corrupt tensor bundle index " + index + ": no header entry (empty key)");
        }
        int numShards = parseHeader(index, header);
        Map<String, Entry> entries = new LinkedHashMap<>();
        for (Map.Entry<String, byte[]> e : table.entrySet()) {
            Entry entry = parseEntry(index, e.getKey(), e.getValue());
            if (entry.shard < 0 || entry.shard >= numShards || entry.offset < 0 || entry.size < 0) {
                throw new IOException(String.format(
                        "corrupt tensor bundle index %s: tensor '%s' has shard %d,"
                                + " offset %d, size %d (bundle has %d shards)",
                        index, entry.name, entry.shard, entry.offset, entry.size, numShards));
            }
            entries.put(entry.name, entry);
        }
        String prefix = fileName.substring(0, fileName.length() - ".index".length());
        List<Path> shardFiles = new ArrayList<>();
        List<FileChannel> shards = new ArrayList<>();
        try {
            for (int i = 0; i < numShards; i++) {
                Path shard = index.resolveSibling(String.format("%s.data-%05d-of-%05d", prefix, i, numShards));
                if (!Files.isRegularFile(shard)) {
                    throw new NoSuchFileException(
                            shard.toString(),
                            null,
                            "missing data shard " + (i + 1) + " of " + numShards + " for tensor bundle index " + index);
                }
                shardFiles.add(shard);
                shards.add(FileChannel.open(shard, StandardOpenOption.READ));
            }
        } catch (IOException | RuntimeException e) {
            closeAll(shards, e);
            throw e;
        }
        return new TensorBundleReader(index, entries, List.copyOf(shardFiles), List.copyOf(shards));
    }

    public Path indexFile() {
        return indexFile;
    }

    /** Names of all tensors in the bundle, float or not, in index (sorted) order. */
    public List<String> names() {
        return List.copyOf(entries.keySet());
    }

    /** The index entry of {@code name}; IllegalArgumentException if the bundle has no such tensor. */
    public Entry entry(String name) {
        Entry entry = entries.get(name);
        if (entry == null) {
            throw new IllegalArgumentException("no tensor '" + name + "' in tensor bundle " + indexFile);
        }
        return entry;
    }

    /**
     * Reads a DT_FLOAT, DT_HALF or DT_BFLOAT16 tensor as float32 in C order, after checking its crc32c.
     * Other dtypes and sliced (partitioned) tensors give IllegalArgumentException.
     */
    public Tensor readFloat(String name) throws IOException {
        Entry e = entry(name);
        if (!e.isFloat()) {
            throw new IllegalArgumentException(
                    e.slices > 0
                            ? "tensor '" + name + "' is partitioned into " + e.slices
                                    + " slices; sliced tensors are not" + " supported"
                            : "tensor '" + name + "' has dtype " + e.dtypeName() + "; readFloat reads only DT_FLOAT,"
                                    + " DT_HALF and DT_BFLOAT16");
        }
        long count;
        try {
            count = e.numElements();
        } catch (ArithmeticException overflow) {
            throw new IOException(String.format(
                    "corrupt tensor bundle index %s: tensor '%s' has shape %s, more elements than a long counts",
                    indexFile, name, Arrays.toString(e.shape)));
        }
        long width = e.dtype == DT_FLOAT ? 4 : 2;
        if (count * width != e.size) {
            throw new IOException(String.format(
                    "corrupt tensor bundle index %s: tensor '%s' %s%s needs %d bytes" + " but its entry says %d",
                    indexFile, name, e.dtypeName(), Arrays.toString(e.shape), count * width, e.size));
        }
        if (count > Integer.MAX_VALUE - 8) {
            throw new IOException("tensor '" + name + "' has " + count + " elements, too many for one float[]");
        }
        ByteBuffer bytes = checkedBytes(e);
        float[] data = new float[(int) count];
        if (e.dtype == DT_FLOAT) {
            bytes.asFloatBuffer().get(data);
        } else {
            boolean half = e.dtype == DT_HALF;
            for (int i = 0; i < data.length; i++) {
                short bits = bytes.getShort(2 * i);
                data[i] = half ? Half.toFloat(bits) : Half.bfloat16ToFloat(bits);
            }
        }
        return new Tensor(e.shape.clone(), data);
    }

    /** Reads every float tensor (see {@link Entry#isFloat}) whose name passes the filter; others are skipped. */
    public Map<String, Tensor> readAllFloat(Predicate<String> nameFilter) throws IOException {
        Map<String, Tensor> result = new LinkedHashMap<>();
        for (Entry e : entries.values()) {
            if (e.isFloat() && nameFilter.test(e.name)) {
                result.put(e.name, readFloat(e.name));
            }
        }
        return result;
    }

    /** The tensor's bytes, little-endian, mapped from its shard once they pass the length and crc32c checks. */
    private ByteBuffer checkedBytes(Entry e) throws IOException {
        FileChannel channel = shards.get(e.shard);
        Path file = shardFiles.get(e.shard);
        long length = channel.size();
        if (e.offset > length || e.size > length - e.offset) {
            throw new IOException(String.format(
                    "truncated shard %s: tensor '%s' needs bytes [%d, %d) but the file" + " has %d bytes",
                    file, e.name, e.offset, e.offset + e.size, length));
        }
        ByteBuffer bytes =
                channel.map(FileChannel.MapMode.READ_ONLY, e.offset, e.size).order(ByteOrder.LITTLE_ENDIAN);
        CRC32C crc = new CRC32C();
        crc.update(bytes.duplicate());
        // TensorFlow stores the leveldb-masked crc32c of the tensor's bytes (checked against the real BERT bundle).
        int computed = LevelDbTable.mask((int) crc.getValue());
        if (computed != e.crc32c) {
            throw new IOException(String.format(
                    "checksum mismatch for tensor '%s' in %s: stored 0x%08x, computed"
                            + " 0x%08x (corrupt or truncated shard)",
                    e.name, file, e.crc32c, computed));
        }
        return bytes;
    }

    @Override
    public void close() throws IOException {
        closeAll(shards, null);
    }

    private static void closeAll(List<FileChannel> channels, Exception pending) throws IOException {
        IOException failure = null;
        for (FileChannel channel : channels) {
            try {
                channel.close();
            } catch (IOException e) {
                if (pending != null) {
                    pending.addSuppressed(e);
                } else if (failure == null) {
                    failure = e;
                }
            }
        }
        if (failure != null) {
            throw failure;
        }
    }

    // --- BundleHeaderProto / BundleEntryProto, read field by field (tensorflow/core/protobuf/tensor_bundle.proto)

    private static int parseHeader(Path index, byte[] value) throws IOException {
        int numShards = 0;
        int endianness = 0;
        try {
            CodedInputStream in = CodedInputStream.newInstance(value);
            for (int tag; (tag = in.readTag()) != 0; ) {
                switch (WireFormat.getTagFieldNumber(tag)) {
                    case 1 -> numShards = in.readInt32();
                    case 2 -> endianness = in.readEnum();
                    default -> in.skipField(tag);
                }
            }
        } catch (IOException e) {
            throw new IOException("corrupt tensor bundle index " + index + ": bad header: " + e.getMessage(), e);
        }
        if (numShards < 1) {
            throw new IOException("corrupt tensor bundle index " + index + ": header says " + numShards + " shards");
        }
        if (endianness != 0) {
            throw new IOException("unsupported tensor bundle " + index + ": big-endian data");
        }
        return numShards;
    }

    private static Entry parseEntry(Path index, String name, byte[] value) throws IOException {
        int dtype = 0;
        long[] shape = {};
        int shard = 0;
        long offset = 0;
        long size = 0;
        int crc = 0;
        int slices = 0;
        try {
            CodedInputStream in = CodedInputStream.newInstance(value);
            for (int tag; (tag = in.readTag()) != 0; ) {
                switch (WireFormat.getTagFieldNumber(tag)) {
                    case 1 -> dtype = in.readEnum();
                    case 2 -> shape = parseShape(in.readByteArray());
                    case 3 -> shard = in.readInt32();
                    case 4 -> offset = in.readInt64();
                    case 5 -> size = in.readInt64();
                    case 6 -> crc = in.readFixed32();
                    case 7 -> {
                        slices++;
                        in.skipField(tag);
                    }
                    default -> in.skipField(tag);
                }
            }
        } catch (IOException e) {
            throw new IOException(
                    "corrupt tensor bundle index " + index + ": bad entry for tensor '" + name + "': " + e.getMessage(),
                    e);
        }
        return new Entry(name, dtype, shape, shard, offset, size, crc, slices);
    }

    /** TensorShapeProto: repeated Dim dim = 2 { int64 size = 1; string name = 2; }, bool unknown_rank = 3. */
    private static long[] parseShape(byte[] value) throws IOException {
        List<Long> dims = new ArrayList<>();
        CodedInputStream in = CodedInputStream.newInstance(value);
        for (int tag; (tag = in.readTag()) != 0; ) {
            switch (WireFormat.getTagFieldNumber(tag)) {
                case 2 -> {
                    long dim = 0;
                    CodedInputStream d = CodedInputStream.newInstance(in.readByteArray());
                    for (int t; (t = d.readTag()) != 0; ) {
                        if (WireFormat.getTagFieldNumber(t) == 1) {
                            dim = d.readInt64();
                        } else {
                            d.skipField(t);
                        }
                    }
                    if (dim < 0) {
                        throw new IOException("dimension " + dim + " is not fully defined");
                    }
                    dims.add(dim);
                }
                case 3 -> {
                    if (in.readBool()) {
                        throw new IOException("shape has unknown rank");
                    }
                }
                default -> in.skipField(tag);
            }
        }
        return dims.stream().mapToLong(Long::longValue).toArray();
    }
}
