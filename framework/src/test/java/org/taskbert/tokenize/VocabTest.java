package org.taskbert.tokenize;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class VocabTest {

    @TempDir
    Path dir;

    @Test
    void loadStripsEachLineAndNumbersLinesFromZero() throws IOException {
        Path file = dir.resolve("vocab.txt");
        // CRLF, padding, an empty line, and no newline after the last token.
        Files.writeString(file, "[PAD]\r\n [UNK] \n[CLS]\n\n[SEP]\n[MASK]\nhéllo\n##s", StandardCharsets.UTF_8);
        Vocab vocab = Vocab.load(file);
        assertEquals(8, vocab.size());
        assertEquals(0, vocab.padId());
        assertEquals(1, vocab.unkId());
        assertEquals(2, vocab.clsId());
        assertEquals(3, vocab.id(""));
        assertEquals(4, vocab.sepId());
        assertEquals(5, vocab.maskId());
        assertEquals(6, vocab.id("héllo"));
        assertEquals("##s", vocab.token(7));
        assertEquals(-1, vocab.id("nope"));
    }

    @Test
    void trailingNewlineAddsNoToken() throws IOException {
        Path file = dir.resolve("vocab.txt");
        Files.writeString(file, "[UNK]\n[CLS]\n[SEP]\n", StandardCharsets.UTF_8);
        assertEquals(3, Vocab.load(file).size());
    }

    @Test
    void missingSpecialTokenNamesFileAndToken() throws IOException {
        Path file = dir.resolve("broken-vocab.txt");
        Files.writeString(file, "[PAD]\n[UNK]\n[CLS]\nhello\n", StandardCharsets.UTF_8);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Vocab.load(file));
        assertTrue(e.getMessage().contains(file.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("[SEP]"), e.getMessage());
    }

    @Test
    void ofRequiresClsSepUnkAndToleratesNoPadOrMask() {
        assertThrows(IllegalArgumentException.class, () -> Vocab.of(List.of("[CLS]", "[SEP]")));
        Vocab vocab = Vocab.of(List.of("[CLS]", "[SEP]", "[UNK]"));
        assertEquals(-1, vocab.padId());
        assertEquals(-1, vocab.maskId());
    }

    @Test
    void repeatedTokenKeepsItsLastId() {
        Vocab vocab = Vocab.of(List.of("[CLS]", "x", "[SEP]", "[UNK]", "x"));
        assertEquals(4, vocab.id("x"));
        assertEquals(5, vocab.size());
    }
}
