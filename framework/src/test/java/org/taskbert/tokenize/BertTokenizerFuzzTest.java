package org.taskbert.tokenize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.taskbert.fuzz.HostileInput;
import org.taskbert.model.TinyModels;
import org.taskbert.spi.Encoding;

/**
 * Fuzzes the WordPiece tokenizer ({@link BertTokenizer}: basic tokenization, then {@link WordPieceTokenizer}). The
 * input's first line adds tokens (space-separated) to the tiny model's vocabulary, read back through
 * {@link Vocab#load}; the rest is text A as UTF-8, and text B is the same bytes as UTF-16LE (so any char, lone
 * surrogates included). Cased and uncased, single and pair, at a length the input picks and at 512, the tokenizer
 * returns ids from the vocabulary framed by [CLS] and [SEP], never longer than asked. It has no error to report:
 * any exception fails. Seeds: {@code BertTokenizerFuzzTestInputs/encodes/}.
 */
class BertTokenizerFuzzTest {

    private static final Path VOCAB = HostileInput.scratch("tokenizer").resolve("vocab.txt");

    @FuzzTest(maxDuration = "15s")
    @Timeout(value = 5, unit = TimeUnit.SECONDS)
    void encodes(byte[] input) throws Exception {
        String utf8 = new String(input, StandardCharsets.UTF_8);
        int eol = utf8.indexOf('\n');
        List<String> tokens = new ArrayList<>(TinyModels.vocab());
        if (eol >= 0) {
            tokens.addAll(Arrays.asList(utf8.substring(0, eol).split(" ")));
        }
        Files.write(VOCAB, tokens);
        Vocab vocab = Vocab.load(VOCAB);
        String a = eol < 0 ? utf8 : utf8.substring(eol + 1);
        String b = new String(input, StandardCharsets.UTF_16LE);
        int maxLength = 3 + input.length % 40;
        for (boolean lowerCase : new boolean[] {true, false}) {
            BertTokenizer tokenizer = new BertTokenizer(vocab, lowerCase);
            HostileInput.mustReadOrRefuse(List.of(), () -> {
                for (String piece : tokenizer.tokenize(a)) {
                    assertTrue(vocab.contains(piece), () -> "piece '" + piece + "' is not in the vocabulary");
                }
                check(vocab, tokenizer.encode(a, maxLength), maxLength, false);
                check(vocab, tokenizer.encode(b), BertTokenizer.DEFAULT_MAX_LENGTH, false);
                check(vocab, tokenizer.encodePair(a, b, maxLength), maxLength, true);
                check(vocab, tokenizer.encodePair(b, a), BertTokenizer.DEFAULT_MAX_LENGTH, true);
            });
        }
    }

    private static void check(Vocab vocab, Encoding e, int maxLength, boolean pair) {
        int[] ids = e.inputIds();
        assertTrue(ids.length >= (pair ? 3 : 2) && ids.length <= maxLength, () -> ids.length + " ids");
        assertEquals(ids.length, e.tokenTypeIds().length);
        assertEquals(vocab.clsId(), ids[0]);
        assertEquals(vocab.sepId(), ids[ids.length - 1]);
        for (int i = 0; i < ids.length; i++) {
            assertTrue(ids[i] >= 0 && ids[i] < vocab.size(), "id " + ids[i] + " at " + i);
            assertTrue(e.tokenTypeIds()[i] == 0 || (pair && e.tokenTypeIds()[i] == 1));
            assertTrue(i == 0 || e.tokenTypeIds()[i] >= e.tokenTypeIds()[i - 1], "token types 0 then 1");
        }
    }
}
