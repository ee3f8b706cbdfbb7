package org.taskbert.spi.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.taskbert.data.InputErrorAssert.assertInputError;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.taskbert.cli.CliRun;
import org.taskbert.model.TinyModels;

/**
 * A Japanese corpus or STS file saved as Shift_JIS or EUC-JP instead of UTF-8, plain and gzipped: the error names
 * the file, the line and the byte offset of the first byte that is not UTF-8, and says which encoding the line reads
 * as and how to convert it.
 */
class JapaneseEncodingsTest {

    @TempDir
    Path dir;

    private static final String FIRST = "{\"id\": \"a\", \"text\": \"An English line.\"}\n";
    private static final String SECOND = "{\"id\": \"b\", \"text\": \"日本語の文章です。彼は「行こう。」と言った。\"}\n";

    @ParameterizedTest
    @CsvSource({
        "Shift_JIS, corpus.jsonl",
        "Shift_JIS, corpus.jsonl.gz",
        "EUC-JP, corpus.jsonl",
        "EUC-JP, corpus.jsonl.gz"
    })
    void aCorpusNamesFileLineAndByteOffset(String encoding, String name) throws IOException {
        Charset charset = Charset.forName(encoding);
        Path file = write(dir.resolve(name), (FIRST + SECOND).getBytes(charset));
        long offset = FIRST.length() + SECOND.indexOf('日'); // ASCII before it: one byte a character
        InputFormatException e = assertInputError(
                file,
                2,
                null,
                "invalid UTF-8 at byte offset " + offset,
                () -> Corpus.read(file, new SentenceSplitter(com.ibm.icu.util.ULocale.JAPANESE)));
        assertEquals(offset, e.byteOffset());
        String message = e.getMessage();
        assertEquals(name.endsWith(".gz"), message.contains("of the decompressed data"), message);
        assertTrue(
                message.contains(
                        "the line reads as Japanese in " + (encoding.equals("EUC-JP") ? "EUC-JP" : "Shift_JIS")),
                message);
        assertTrue(message.contains("(\"日本語の文章です。彼は「行こう。」と言っ…\")"), message);
        assertTrue(
                message.contains("iconv -f " + (encoding.equals("EUC-JP") ? "EUC-JP" : "CP932") + " -t UTF-8"),
                message);
    }

    @ParameterizedTest
    @CsvSource({"Shift_JIS, valid.jsonl", "EUC-JP, valid.jsonl.gz"})
    void anStsFileToo(String encoding, String name) throws IOException {
        String first = "{\"sentence1\": \"a\", \"sentence2\": \"b\", \"score\": 1.0}\n";
        String second = "{\"sentence1\": \"山の上に牛が2頭います。\", \"sentence2\": \"牛がいます。\", \"score\": 2.4}\n";
        Path file = write(dir.resolve(name), (first + second).getBytes(Charset.forName(encoding)));
        long offset = first.length() + second.indexOf('山');
        InputFormatException e =
                assertInputError(file, 2, null, "invalid UTF-8 at byte offset " + offset, () -> StsFile.read(file));
        assertTrue(e.getMessage().contains("the line reads as Japanese in"), e.getMessage());
    }

    /** Through the command line: one line naming file, line and offset; no stack trace. */
    @ParameterizedTest
    @CsvSource({"Shift_JIS", "EUC-JP"})
    void evalStsSaysSoOnTheCommandLine(String encoding) throws IOException {
        Path model = TinyModels.writeHuggingFace(dir.resolve("tiny"), 1, true);
        Path file = write(
                dir.resolve("jsts.jsonl"),
                "{\"sentence1\": \"犬が走る。\", \"sentence2\": \"猫が寝る。\", \"score\": 1.0}\n"
                        .getBytes(Charset.forName(encoding)));
        CliRun.Result r = CliRun.run(
                "eval",
                "sts",
                "-m",
                model.toString(),
                "--json",
                dir.resolve("e.json").toString(),
                file.toString());
        assertEquals(1, r.code(), r.err());
        assertTrue(r.err().contains(file + ":1: invalid UTF-8 at byte offset 15"), r.err());
        assertTrue(r.err().contains("convert the file to UTF-8"), r.err());
        assertFalse(r.err().contains("\tat org."), r.err());
    }

    /** Bytes that are neither UTF-8 nor Japanese get no guess. */
    @Test
    void latinOneGetsNoJapaneseHint() throws IOException {
        Path file = write(
                dir.resolve("corpus.jsonl"),
                "{\"id\": \"a\", \"text\": \"Café\"}\n".getBytes(StandardCharsets.ISO_8859_1));
        InputFormatException e = assertInputError(
                file, 1, null, "invalid UTF-8 at byte offset 24", () -> Corpus.read(file, new SentenceSplitter()));
        assertFalse(e.getMessage().contains("Japanese"), e.getMessage());
    }

    private static Path write(Path file, byte[] bytes) throws IOException {
        if (!file.getFileName().toString().endsWith(".gz")) {
            return Files.write(file, bytes);
        }
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(bytes);
        }
        return file;
    }
}
