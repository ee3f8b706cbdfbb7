package org.taskbert.model;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.function.Consumer;
import org.taskbert.model.format.Safetensors;

/**
 * Hand-made Hugging Face folders of an 8-wide BERT (20 words, 1 layer, 2 heads), as a hostile or careless file would
 * give them: {@link #write} takes an edit of the tensors before they are written and of {@code config.json}.
 */
final class HandMadeModels {

    static final int VOCAB = 20;
    static final int HIDDEN = 8;
    static final String WORDS = "embeddings.word_embeddings.weight";
    static final String QUERY = "encoder.layer.0.attention.self.query.weight";

    private HandMadeModels() {}

    static BertConfig config() {
        return BertConfig.of(VOCAB, HIDDEN, 1, 2, 16, 16, 2);
    }

    /** The folder with the correct weights after {@code edit} has changed them; config.json says 8 wide. */
    static Path write(Path dir, Consumer<Map<String, Tensor>> edit) throws IOException {
        return write(dir, edit, configJson(VOCAB, HIDDEN, 2));
    }

    static Path write(Path dir, Consumer<Map<String, Tensor>> edit, String configJson) throws IOException {
        Files.createDirectories(dir);
        Map<String, Tensor> tensors =
                new LinkedHashMap<>(RandomWeights.create(config(), 3, true, 0.2).all());
        edit.accept(tensors);
        Safetensors.write(dir.resolve(HuggingFaceFormat.WEIGHTS), tensors, Map.of("format", "pt"));
        Files.writeString(dir.resolve(HuggingFaceFormat.CONFIG), configJson);
        Files.write(dir.resolve(HuggingFaceFormat.VOCAB), vocab());
        return dir;
    }

    static String configJson(int vocab, int hidden, int heads) {
        return "{\"vocab_size\": " + vocab + ", \"hidden_size\": " + hidden
                + ", \"num_hidden_layers\": 1, \"num_attention_heads\": " + heads
                + ", \"intermediate_size\": 16, \"max_position_embeddings\": 16, \"type_vocab_size\": 2}";
    }

    static List<String> vocab() {
        return List.of(
                "[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "the", "a", "man", "woman", "is", "playing", "guitar",
                "dog", "runs", "cat", "sleeps", ".", ",", "!", "?");
    }

    /** The folder with its weights written as float16, as many Hugging Face uploads are. */
    static Path writeF16(Path dir, Consumer<Map<String, Tensor>> edit) throws IOException {
        write(dir, t -> {});
        Map<String, Tensor> tensors =
                new LinkedHashMap<>(RandomWeights.create(config(), 3, true, 0.2).all());
        edit.accept(tensors);
        StringBuilder header = new StringBuilder("{");
        long offset = 0;
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            long size = 2L * e.getValue().data().length;
            header.append(header.length() > 1 ? "," : "")
                    .append('"')
                    .append(e.getKey())
                    .append("\":{\"dtype\":\"F16\",\"shape\":")
                    .append(Arrays.toString(e.getValue().shape()).replace(" ", ""))
                    .append(",\"data_offsets\":[")
                    .append(offset)
                    .append(',')
                    .append(offset + size)
                    .append("]}");
            offset += size;
        }
        byte[] json = header.append('}').toString().getBytes(StandardCharsets.UTF_8);
        ByteBuffer out = ByteBuffer.allocate(8 + json.length + (int) offset).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(json.length).put(json);
        for (Tensor t : tensors.values()) {
            for (float f : t.data()) {
                out.putShort(half(f));
            }
        }
        Files.write(dir.resolve(HuggingFaceFormat.WEIGHTS), out.array());
        return dir;
    }

    /** float to IEEE binary16, truncating; NaN and infinity kept, values below float16's normal range flushed to 0. */
    static short half(float f) {
        int bits = Float.floatToRawIntBits(f);
        int sign = (bits >>> 16) & 0x8000;
        if (Float.isNaN(f)) {
            return (short) 0x7e00;
        }
        int exponent = ((bits >>> 23) & 0xff) - 127 + 15;
        if (exponent >= 0x1f) {
            return (short) (sign | 0x7c00);
        }
        if (exponent <= 0) {
            return (short) sign;
        }
        return (short) (sign | (exponent << 10) | ((bits >>> 13) & 0x3ff));
    }

    /** Normal random values of the shape. */
    static Tensor random(long... shape) {
        return RandomWeights.normal(new SplittableRandom(9), 0.2, shape);
    }
}
