package org.taskbert.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taskbert.cli.Main;

/**
 * A word table wider than {@code config.json} says once crashed the JVM in native code (issue 15, row 1). The
 * {@code embed} runs in a child JVM, so that a crash fails this test instead of killing the suite.
 */
class ModelShapeChildJvmTest {

    @TempDir
    Path tmp;

    @Test
    void aWordTableWiderThanTheConfigIsRefusedAtLoadNotACrash() throws IOException, InterruptedException {
        Path model = HandMadeModels.write(
                tmp.resolve("wide"), t -> t.put(HandMadeModels.WORDS, HandMadeModels.random(20, 16)));
        Path input = Files.write(tmp.resolve("in.txt"), List.of("the man is playing guitar", "a dog runs"));
        Path output = tmp.resolve("out.jsonl");
        Process p = new ProcessBuilder(
                        ProcessHandle.current().info().command().orElse("java"),
                        "-Xmx512m",
                        "-XX:ErrorFile=" + tmp.resolve("hs_err_pid%p.log"),
                        "-cp",
                        System.getProperty("java.class.path"),
                        Main.class.getName(),
                        "embed",
                        "--model",
                        model.toString(),
                        "-i",
                        input.toString(),
                        "-o",
                        output.toString())
                .directory(tmp.toFile())
                .redirectOutput(tmp.resolve("stdout.txt").toFile())
                .redirectError(tmp.resolve("stderr.txt").toFile())
                .start();
        assertTrue(p.waitFor(120, TimeUnit.SECONDS), "the child JVM did not finish in 120 s");
        String err = Files.readString(tmp.resolve("stderr.txt"), StandardCharsets.UTF_8)
                + Files.readString(tmp.resolve("stdout.txt"), StandardCharsets.UTF_8);
        try (Stream<Path> files = Files.list(tmp)) {
            assertFalse(files.anyMatch(f -> f.getFileName().toString().startsWith("hs_err")), "a native crash: " + err);
        }
        assertFalse(err.contains("SIGSEGV"), err);
        assertEquals(1, p.exitValue(), err);
        assertTrue(err.contains("'" + HandMadeModels.WORDS + "'"), err);
        assertTrue(err.contains("[20, 8]") && err.contains("[20, 16]"), err);
        assertTrue(err.contains(model.resolve(HuggingFaceFormat.WEIGHTS).toString()), err);
        assertFalse(err.contains("\tat "), "a stack trace: " + err);
        assertFalse(Files.exists(output), "embed wrote vectors from a model it should have refused");
    }
}
