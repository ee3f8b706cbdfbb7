package org.taskbert.encoder;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taskbert.model.LoadedModel;
import org.taskbert.model.TinyModels;
import org.taskbert.spi.Pooling;

/** Tokenizer plus encoder: truncation, empty texts. */
class TextEncoderTest {

    @TempDir
    Path tmp;

    @Test
    void overLongTextsAreTruncatedToTheMaximumAndEmptyTextsStillGetVectors() throws Exception {
        Path vocab = Files.write(tmp.resolve("vocab.txt"), TinyModels.vocab());
        LoadedModel model = new LoadedModel("tiny", TinyModels.weights(1, true), vocab, true);
        String longText = "the man is playing . ".repeat(40); // 200 word pieces, more than 64 positions
        try (TextEncoder enc = new TextEncoder(model, new SameDiffEncoder(model.weights(), 8), 64)) {
            assertTrue(enc.tokenizer().encode(longText, 64).truncated());
            Map<Pooling, float[][]> out = enc.embed(
                    List.of(longText, "", "   "), EnumSet.of(Pooling.CLS, Pooling.MAX), false, Encoder.Progress.NONE);
            assertEquals(3, out.get(Pooling.CLS).length);
            for (float[] v : out.get(Pooling.MAX)) {
                assertEquals(16, v.length);
            }
            // "" and "   " are both just [CLS] [SEP]
            for (int d = 0; d < 16; d++) {
                assertEquals(out.get(Pooling.CLS)[1][d], out.get(Pooling.CLS)[2][d], 1e-6);
            }
            assertEquals(64, enc.tokenizer().encode(longText, 64).length());
        }
    }

    @Test
    void promptVectorsComeFromTheTemplatedTextsAndLeaveTheOtherPoolingsAsTheyWere() throws Exception {
        Path vocab = Files.write(tmp.resolve("vocab.txt"), TinyModels.vocab());
        LoadedModel model = new LoadedModel("tiny", TinyModels.weights(3, true), vocab, true);
        List<String> texts = List.of("the man is playing guitar .", "a dog runs");
        try (TextEncoder enc = new TextEncoder(model, new InferenceEncoder(model.weights(), 8), 64)) {
            Map<Pooling, float[][]> both =
                    enc.embed(texts, EnumSet.of(Pooling.MEAN, Pooling.PROMPT), false, Encoder.Progress.NONE);
            Map<Pooling, float[][]> mean = enc.embed(texts, EnumSet.of(Pooling.MEAN), false, Encoder.Progress.NONE);
            Map<Pooling, float[][]> prompt = enc.embed(texts, EnumSet.of(Pooling.PROMPT), false, Encoder.Progress.NONE);
            // the prompt's vector is the [MASK] state of the templated text, which the encoder reads from its ids
            Map<Pooling, float[][]> direct = enc.encoder()
                    .encode(
                            texts.stream()
                                    .map(t -> enc.tokenizer().encode(t, 64, Pooling.PROMPT))
                                    .toList(),
                            EnumSet.of(Pooling.PROMPT),
                            Encoder.Progress.NONE);
            for (int i = 0; i < texts.size(); i++) {
                org.junit.jupiter.api.Assertions.assertArrayEquals(
                        mean.get(Pooling.MEAN)[i], both.get(Pooling.MEAN)[i]);
                org.junit.jupiter.api.Assertions.assertArrayEquals(
                        prompt.get(Pooling.PROMPT)[i], both.get(Pooling.PROMPT)[i]);
                org.junit.jupiter.api.Assertions.assertArrayEquals(
                        direct.get(Pooling.PROMPT)[i], both.get(Pooling.PROMPT)[i]);
                assertTrue(Math.abs(both.get(Pooling.PROMPT)[i][0] - both.get(Pooling.MEAN)[i][0]) > 1e-6);
            }
            assertEquals(
                    enc.tokenizer().vocab().maskId(),
                    enc.tokenizer()
                            .encode(texts.get(1), 64, Pooling.PROMPT)
                            .inputIds()[
                            enc.tokenizer()
                                            .encode(texts.get(1), 64, Pooling.PROMPT)
                                            .length()
                                    - 3]);
        }
    }
}
