package org.taskbert.model.format;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.taskbert.model.Tensor;

/** Reads (F32, F16, BF16) and writes (F32) Hugging Face safetensors files. */
public final class Safetensors {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String METADATA = "__metadata__";
    private static final long MAX_HEADER = 100_000_000; // as in the reference implementation

    private Safetensors() {}

    /** One tensor's header entry; begin and end are offsets into the data buffer. */
    private record Slot(String name, String dtype, long[] shape, long begin, long end) {}

    /** The parsed header: where the data buffer starts, its tensors in header order, and the metadata. */
    private record Header(long dataStart, List<Slot> slots, Map<String, String> metadata) {}

    /** All tensors of the file, in header order, converted to float32. */
    public static Map<String, Tensor> read(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            Header header = header(file, channel);
            Map<String, Tensor> result = new LinkedHashMap<>();
            for (Slot slot : header.slots) {
                ByteBuffer bytes = channel.map(
                                FileChannel.MapMode.READ_ONLY, header.dataStart + slot.begin, slot.end - slot.begin)
                        .order(ByteOrder.LITTLE_ENDIAN);
                float[] data = new float[(int) ((slot.end - slot.begin) / width(slot.dtype))];
                switch (slot.dtype) {
                    case "F32" -> bytes.asFloatBuffer().get(data);
                    case "F16" -> {
                        for (int i = 0; i < data.length; i++) {
                            data[i] = Half.toFloat(bytes.getShort(2 * i));
                        }
                    }
                    default -> {
                        for (int i = 0; i < data.length; i++) {
                            data[i] = Half.bfloat16ToFloat(bytes.getShort(2 * i));
                        }
                    }
                }
                result.put(slot.name, new Tensor(slot.shape, data));
            }
            return result;
        }
    }

    /** The header's {@code __metadata__} string map (empty if it has none). */
    public static Map<String, String> metadata(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            return header(file, channel).metadata;
        }
    }

    /**
     * Writes the tensors as F32, in map order, with optional metadata. Writes a temporary file in the same folder
     * and renames it over {@code file} atomically, so readers never see a partial file.
     */
    public static void write(Path file, Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
        ObjectNode header = JSON.createObjectNode();
        if (metadata != null && !metadata.isEmpty()) {
            ObjectNode meta = header.putObject(METADATA);
            metadata.forEach(meta::put);
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            if (e.getKey().equals(METADATA)) {
                throw new IllegalArgumentException("a tensor cannot be named " + METADATA);
            }
            ObjectNode slot = header.putObject(e.getKey());
            slot.put("dtype", "F32");
            ArrayNode shape = slot.putArray("shape");
            Arrays.stream(e.getValue().shape()).forEach(shape::add);
            long size = 4L * e.getValue().data().length;
            slot.putArray("data_offsets").add(offset).add(offset + size);
            offset += size;
        }
        byte[] json = JSON.writeValueAsBytes(header);
        int padded = (json.length + 7) & ~7; // space-padded so that the data starts 8-byte aligned
        ByteBuffer head = ByteBuffer.allocate(8 + padded)
                .order(ByteOrder.LITTLE_ENDIAN)
                .putLong(padded)
                .put(json);
        while (head.hasRemaining()) {
            head.put((byte) ' ');
        }
        Path tmp = file.resolveSibling("." + file.getFileName() + "." + UUID.randomUUID() + ".tmp");
        try {
            try (FileChannel out = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
                writeFully(out, head.flip());
                ByteBuffer chunk = ByteBuffer.allocate(1 << 20).order(ByteOrder.LITTLE_ENDIAN);
                for (Tensor tensor : tensors.values()) {
                    float[] data = tensor.data();
                    for (int i = 0; i < data.length; ) {
                        int n = Math.min(chunk.capacity() / 4, data.length - i);
                        chunk.clear().asFloatBuffer().put(data, i, n);
                        writeFully(out, chunk.limit(4 * n));
                        i += n;
                    }
                }
                out.force(true);
            }
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw e;
        }
    }

    private static void writeFully(FileChannel out, ByteBuffer buffer) throws IOException {
        while (buffer.hasRemaining()) {
            out.write(buffer);
        }
    }

    private static int width(String dtype) {
        return dtype.equals("F32") ? 4 : 2;
    }

    private static Header header(Path file, FileChannel channel) throws IOException {
        long fileSize = channel.size();
        if (fileSize < 8) {
            throw new IOException("truncated safetensors file " + file + ": " + fileSize
                    + " bytes, too short for the 8-byte header length");
        }
        long n = readFully(channel, 0, 8).getLong(0);
        if (n < 0 || n > fileSize - 8 || n > MAX_HEADER) {
            throw new IOException("bad safetensors file " + file + ": header length " + n + " is beyond the file ("
                    + fileSize + " bytes)" + (n > MAX_HEADER ? " or the " + MAX_HEADER + "-byte limit" : ""));
        }
        JsonNode root;
        try {
            root = JSON.readTree(readFully(channel, 8, (int) n).array());
        } catch (JsonProcessingException e) {
            throw new IOException("bad safetensors header in " + file + ": " + e.getOriginalMessage(), e);
        }
        if (root == null || !root.isObject()) {
            throw new IOException("bad safetensors header in " + file + ": not a JSON object");
        }
        long dataSize = fileSize - 8 - n;
        List<Slot> slots = new ArrayList<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = root.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> field = it.next();
            if (field.getKey().equals(METADATA)) {
                field.getValue()
                        .fields()
                        .forEachRemaining(
                                m -> metadata.put(m.getKey(), m.getValue().asText()));
            } else {
                slots.add(slot(file, field.getKey(), field.getValue(), dataSize));
            }
        }
        List<Slot> byOffset = new ArrayList<>(slots);
        byOffset.sort(Comparator.comparingLong(Slot::begin).thenComparingLong(Slot::end));
        for (int i = 1; i < byOffset.size(); i++) {
            Slot a = byOffset.get(i - 1);
            Slot b = byOffset.get(i);
            if (b.begin < a.end) {
                throw new IOException(String.format(
                        "bad safetensors file %s: tensors '%s' [%d, %d) and '%s' [%d, %d)" + " overlap",
                        file, a.name, a.begin, a.end, b.name, b.begin, b.end));
            }
        }
        return new Header(8 + n, slots, metadata);
    }

    private static Slot slot(Path file, String name, JsonNode node, long dataSize) throws IOException {
        String where = "tensor '" + name + "' in " + file;
        String dtype = node.path("dtype").asText();
        if (!dtype.equals("F32") && !dtype.equals("F16") && !dtype.equals("BF16")) {
            throw new IOException(
                    "unsupported dtype '" + dtype + "' for " + where + "; only F32, F16 and BF16 can be" + " read");
        }
        JsonNode shapeNode = node.path("shape");
        JsonNode offsets = node.path("data_offsets");
        if (!shapeNode.isArray() || !offsets.isArray() || offsets.size() != 2) {
            throw new IOException("bad safetensors header for " + where + ": needs \"shape\" and a two-element"
                    + " \"data_offsets\"");
        }
        long[] shape = new long[shapeNode.size()];
        long count = 1;
        try {
            for (int i = 0; i < shape.length; i++) {
                shape[i] = shapeNode.get(i).asLong(-1);
                if (!shapeNode.get(i).canConvertToLong() || shape[i] < 0) {
                    throw new ArithmeticException();
                }
                count = Math.multiplyExact(count, shape[i]);
            }
        } catch (ArithmeticException e) {
            throw new IOException("bad shape " + shapeNode + " for " + where);
        }
        long begin = offsets.get(0).asLong(-1);
        long end = offsets.get(1).asLong(-1);
        if (!offsets.get(0).canConvertToLong()
                || !offsets.get(1).canConvertToLong()
                || begin < 0
                || end < begin
                || end > dataSize) {
            throw new IOException(String.format(
                    "data_offsets %s of %s are out of range: the data buffer has %d bytes" + " (truncated file?)",
                    offsets, where, dataSize));
        }
        if (count * width(dtype) != end - begin || count > Integer.MAX_VALUE - 8) {
            throw new IOException(String.format(
                    "%s: shape %s of %s needs %d bytes but data_offsets %s hold %d",
                    where, Arrays.toString(shape), dtype, count * width(dtype), offsets, end - begin));
        }
        return new Slot(name, dtype, shape, begin, end);
    }

    private static ByteBuffer readFully(FileChannel channel, long position, int length) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new IOException("unexpected end of file");
            }
        }
        return buffer;
    }
}
