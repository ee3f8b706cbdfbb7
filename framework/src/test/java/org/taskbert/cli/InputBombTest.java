package org.taskbert.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taskbert.model.TinyModels;

/**
 * Issue 15, row 7 and section 4: inputs are streamed, never read whole. A gzip bomb (a gigabyte of one endless line,
 * about a megabyte compressed) given to {@code embed} or {@code eval sts} in a JVM of 64 MiB heap fails with the
 * file, line and byte offset, not with {@link OutOfMemoryError}.
 */
class InputBombTest {

    static final long GIB = 1L << 30;

    @TempDir
    static Path tmp;

    static Path model;

    @BeforeAll
    static void tinyModel() throws IOException {
        model = TinyModels.writeHuggingFace(tmp.resolve("tiny"), 3, true);
    }

    /**
     * {@code prefix}, then {@code size} bytes of {@code fill} without a newline, gzipped: a gzip member of 64 MiB of
     * {@code fill} compressed once and repeated (a gzip file is any sequence of members), so that the test spends
     * well under a second on compressing.
     */
    private static Path bomb(String name, String prefix, byte fill, long size) throws IOException {
        Path file = tmp.resolve(name);
        byte[] block = new byte[1 << 20];
        java.util.Arrays.fill(block, fill);
        java.io.ByteArrayOutputStream member = new java.io.ByteArrayOutputStream();
        try (OutputStream gzip = new GZIPOutputStream(member, 1 << 16)) {
            for (int i = 0; i < 64; i++) {
                gzip.write(block);
            }
        }
        try (OutputStream out = Files.newOutputStream(file)) {
            try (OutputStream first = new GZIPOutputStream(new java.io.FilterOutputStream(out) {
                @Override
                public void close() throws IOException {
                    flush(); // the file stays open for the members that follow
                }
            })) {
                first.write(prefix.getBytes(StandardCharsets.UTF_8));
            }
            for (long written = 0; written < size; written += 64L << 20) {
                member.writeTo(out);
            }
        }
        assertTrue(Files.size(file) < 2 << 20, "a bomb of " + Files.size(file) + " bytes");
        return file;
    }

    /** Runs the command line in a JVM of 64 MiB heap; returns its exit code and output. */
    private static CliRun.Result boundedHeap(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(
                ProcessHandle.current().info().command().orElse("java"),
                "-Xmx64m",
                "-cp",
                System.getProperty("java.class.path"),
                Main.class.getName()));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), out);
        return new CliRun.Result(p.exitValue(), "", out);
    }

    private static void assertRefusedWithoutRunningOutOfMemory(CliRun.Result r, String where, String offset) {
        assertEquals(1, r.code(), r.err());
        assertFalse(r.err().contains("OutOfMemoryError") || r.err().contains("out of memory"), r.err());
        assertTrue(r.err().contains(where + ": line longer than 16777216 bytes"), r.err());
        assertTrue(r.err().contains("byte offset " + offset), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
    }

    @Test
    void aGigabyteOfZerosToEmbedIsRefusedNamingTheLine() throws IOException, InterruptedException {
        Path zeros = bomb("zeros.txt.gz", "a first text\n", (byte) 0, GIB);
        CliRun.Result r = boundedHeap(
                "embed",
                "-m",
                model.toString(),
                "-i",
                zeros.toString(),
                "-o",
                tmp.resolve("o.jsonl").toString());
        assertRefusedWithoutRunningOutOfMemory(r, zeros + ":2", "13");
        assertFalse(Files.exists(tmp.resolve("o.jsonl")));
    }

    @Test
    void aGigabyteLongJsonLineToEvalStsIsRefusedNamingTheLine() throws IOException, InterruptedException {
        Path endless = bomb("sts.jsonl.gz", "{\"sentence1\": \"", (byte) 'a', GIB);
        CliRun.Result r = boundedHeap(
                "eval",
                "sts",
                "-m",
                model.toString(),
                "--json",
                tmp.resolve("o.json").toString(),
                endless.toString());
        assertRefusedWithoutRunningOutOfMemory(r, endless + ":1", "0");
    }

    @Test
    void anEndlessJsonlTextToEmbedIsRefused() throws IOException, InterruptedException {
        Path endless = bomb("texts.jsonl.gz", "{\"text\": \"ok\"}\n{\"text\": \"", (byte) 'b', GIB);
        CliRun.Result r = boundedHeap(
                "embed",
                "-m",
                model.toString(),
                "-i",
                endless.toString(),
                "-o",
                tmp.resolve("t.jsonl").toString());
        assertRefusedWithoutRunningOutOfMemory(r, endless + ":2", "15");
    }
}
