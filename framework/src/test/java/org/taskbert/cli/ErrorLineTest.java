package org.taskbert.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 15, row 7: every {@link Throwable}, {@link Error}s included, ends a command with one line on the error stream
 * and exit code 1; the stack trace only with {@code TASKBERT_DEBUG=1}.
 */
class ErrorLineTest {

    @TempDir
    Path tmp;

    /** A run folder whose base model is itself: following it recurses without end. */
    private Path selfBasedRun() throws IOException {
        Path run = Files.createDirectories(tmp.resolve("loop"));
        Files.writeString(run.resolve("run.json"), "{\"base_model\": \"" + run + "\", \"pooling\": \"cls\"}");
        return run;
    }

    @Test
    void anErrorInACommandIsOneLineWithoutAStackTrace() throws IOException {
        Path in = Files.writeString(tmp.resolve("in.txt"), "a\n");
        CliRun.Result r = CliRun.run(
                "embed",
                "-m",
                selfBasedRun().toString(),
                "-i",
                in.toString(),
                "-o",
                tmp.resolve("o.jsonl").toString());
        assertEquals(1, r.code());
        assertEquals(1, r.err().strip().lines().count(), r.err());
        assertTrue(r.err().startsWith("error: "), r.err());
        assertFalse(r.err().contains("\tat "), r.err());
    }

    @Test
    void errorsAreNamedInOneLine() {
        assertEquals(
                "error: out of memory (Java heap space); give the JVM more with TASKBERT_JAVA_OPTS=-Xmx..., or use"
                        + " smaller inputs or batches",
                report(new OutOfMemoryError("Java heap space"), false));
        String overflow = report(new StackOverflowError(), false);
        assertTrue(overflow.startsWith("error: stack overflow (a recursion without end, in "), overflow);
        assertTrue(overflow.contains("TASKBERT_DEBUG=1"), overflow);
        assertEquals(
                "error: internal error: java.lang.NoClassDefFoundError: org/x/Y (TASKBERT_DEBUG=1 shows the stack"
                        + " trace)",
                report(new NoClassDefFoundError("org/x/Y"), false));
        for (Throwable t : new Throwable[] {new OutOfMemoryError(), new StackOverflowError(), new LinkageError()}) {
            assertEquals(1, report(t, false).lines().count(), report(t, false));
        }
    }

    @Test
    void theStackTraceOnlyWhenDebugging() throws IOException {
        StringWriter err = new StringWriter();
        Path in = Files.writeString(tmp.resolve("in.txt"), "a\n");
        int code = Main.run(
                true,
                new PrintWriter(new StringWriter(), true),
                new PrintWriter(err, true),
                "embed",
                "-m",
                selfBasedRun().toString(),
                "-i",
                in.toString(),
                "-o",
                tmp.resolve("o.jsonl").toString());
        assertEquals(1, code);
        assertTrue(err.toString().contains("\tat "), err.toString());
        assertTrue(Main.debug(Map.of("TASKBERT_DEBUG", "1")));
        assertFalse(Main.debug(Map.of("TASKBERT_DEBUG", "0")));
        assertFalse(Main.debug(Map.of()));
    }

    private static String report(Throwable t, boolean debug) {
        StringWriter err = new StringWriter();
        assertEquals(1, Main.report(t, new PrintWriter(err, true), debug));
        return err.toString().strip();
    }
}
