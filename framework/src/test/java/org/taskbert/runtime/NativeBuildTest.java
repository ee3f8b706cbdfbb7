package org.taskbert.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.taskbert.encoder.Encoder;
import org.taskbert.encoder.InferenceEncoder;
import org.taskbert.model.LoadedModel;
import org.taskbert.model.Models;
import org.taskbert.spi.Pooling;

class NativeBuildTest {

    private static final List<String> SENTENCES = List.of("the man is playing a guitar .", "a dog runs !", "cats");

    @Test
    void avx2OnlyWithAvx2AndFma() {
        assertEquals("-avx2", NativeBuild.choose(Set.of("sse2", "avx", "avx2", "fma")));
        assertEquals("", NativeBuild.choose(Set.of("sse2", "avx", "avx2")));
        assertEquals("", NativeBuild.choose(Set.of("sse2", "sse4_2")));
        assertEquals("", NativeBuild.choose(Set.of()));
    }

    @Test
    void warnsOnlyWhenTheOpenMpWaitPolicyIsUnset() {
        assertTrue(NativeBuild.threadWarning(Map.of()).orElseThrow().contains("OMP_WAIT_POLICY=PASSIVE"));
        assertTrue(
                NativeBuild.threadWarning(Map.of("OMP_WAIT_POLICY", "ACTIVE")).isEmpty());
    }

    /** The tests (the reference parity test among them) run on the build that taskbert picks for this CPU. */
    @Test
    void testsRunOnTheBuildChosenForThisCpu() {
        Nd4j.create(DataType.FLOAT, 2, 2).addi(1);
        Set<String> libs = NativeBuild.loadedNd4jLibraries();
        assertFalse(libs.isEmpty(), "no ND4J library loaded");
        String expected = NativeBuild.choose(NativeBuild.cpuFlags()).isEmpty() ? "linux-x86_64/" : "linux-x86_64-avx2/";
        assertTrue(libs.stream().allMatch(p -> p.contains(expected)), "expected " + expected + " in " + libs);
    }

    /** The fallback: the generic build, forced as on a CPU without AVX2, loads and computes the same vectors. */
    @Test
    void genericBuildLoadsAndComputesTheSameVectors() throws IOException, InterruptedException {
        Process p = new ProcessBuilder(
                        ProcessHandle.current().info().command().orElse("java"),
                        "-Xmx512m",
                        "-D" + NativeBuild.PROPERTY + "=",
                        "-cp",
                        System.getProperty("java.class.path"),
                        Child.class.getName())
                .redirectErrorStream(true)
                .start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(120, TimeUnit.SECONDS) && p.exitValue() == 0, out);
        String libs =
                out.lines().filter(l -> l.startsWith("LIBS ")).findFirst().orElseThrow(() -> new AssertionError(out));
        assertTrue(libs.contains("linux-x86_64/") && !libs.contains("avx2"), libs);
        String[] theirs = out.lines()
                .filter(l -> l.startsWith("VEC "))
                .findFirst()
                .orElseThrow()
                .substring(4)
                .split(",");
        float[] ours = vectors();
        assertEquals(ours.length, theirs.length);
        for (int i = 0; i < ours.length; i++) {
            assertEquals(ours[i], Float.parseFloat(theirs[i]), 1e-5, "element " + i);
        }
    }

    /** Mean-pooled vectors of the tiny random model, flattened. */
    static float[] vectors() {
        LoadedModel m = Models.load(Models.TINY_RANDOM);
        try (Encoder enc = new InferenceEncoder(m.weights(), 2)) {
            float[][] v = enc.encode(
                            SENTENCES.stream()
                                    .map(s -> m.tokenizer().encode(s, 64))
                                    .toList(),
                            EnumSet.of(Pooling.MEAN),
                            Encoder.Progress.NONE)
                    .get(Pooling.MEAN);
            float[] flat = new float[v.length * v[0].length];
            for (int i = 0; i < v.length; i++) {
                System.arraycopy(v[i], 0, flat, i * v[0].length, v[0].length);
            }
            return flat;
        }
    }

    /** Runs in a child JVM: prints the ND4J libraries it loaded and the vectors. */
    public static final class Child {
        public static void main(String[] args) {
            float[] v = vectors();
            StringBuilder sb = new StringBuilder("VEC ");
            for (int i = 0; i < v.length; i++) {
                sb.append(i == 0 ? "" : ",").append(v[i]);
            }
            System.out.println("LIBS " + NativeBuild.loadedNd4jLibraries());
            System.out.println(sb);
        }
    }
}
