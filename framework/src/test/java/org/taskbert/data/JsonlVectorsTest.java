package org.taskbert.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.taskbert.data.InputErrorAssert.assertInputError;
import static org.taskbert.data.TestFiles.write;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonlVectorsTest {
    @TempDir
    Path dir;

    static void assertSameBits(List<float[]> expected, List<float[]> actual) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) {
            assertEquals(expected.get(i).length, actual.get(i).length, "length of vector " + i);
            for (int j = 0; j < expected.get(i).length; j++) {
                int want = Float.floatToIntBits(expected.get(i)[j]);
                int got = Float.floatToIntBits(actual.get(i)[j]);
                int row = i;
                int col = j;
                assertEquals(
                        want,
                        got,
                        () -> "[" + row + "][" + col + "]: " + Float.intBitsToFloat(want) + " became "
                                + Float.intBitsToFloat(got));
            }
        }
    }

    /** Special values plus random bit patterns, which cover every exponent including subnormals. */
    static List<float[]> awkwardVectors() {
        List<float[]> vectors = new ArrayList<>();
        vectors.add(new float[] {
            0f,
            -0f,
            0.1f,
            1e-5f,
            123456789f,
            1f / 3,
            Float.MIN_VALUE,
            Float.MIN_NORMAL,
            Float.MAX_VALUE,
            -Float.MAX_VALUE,
            Float.NaN,
            Float.POSITIVE_INFINITY,
            Float.NEGATIVE_INFINITY,
            16777217f
        });
        Random random = new Random(42);
        for (int i = 0; i < 500; i++) {
            float[] v = new float[14];
            for (int j = 0; j < v.length; j++) {
                v[j] = Float.intBitsToFloat(random.nextInt());
            }
            vectors.add(v);
        }
        return vectors;
    }

    @Test
    void roundTripIsExactToTheBit() throws IOException {
        Path file = dir.resolve("vectors.jsonl");
        List<float[]> vectors = awkwardVectors();
        JsonlVectors.write(file, vectors);
        assertSameBits(vectors, JsonlVectors.read(file));
    }

    @Test
    void writesOneCompactArrayPerLine() throws IOException {
        Path file = dir.resolve("v.jsonl");
        JsonlVectors.write(file, List.of(new float[] {0.25f, -1.5e-7f, 3f}, new float[] {Float.NaN, 1e10f, -0f}));
        assertEquals(List.of("[0.25,-1.5E-7,3.0]", "[NaN,1.0E10,-0.0]"), Files.readAllLines(file));
    }

    @Test
    void writesEmptyListAsEmptyFile() throws IOException {
        Path file = dir.resolve("none.jsonl");
        JsonlVectors.write(file, List.of());
        assertEquals(0, Files.size(file));
        assertEquals(List.of(), JsonlVectors.read(file));
    }

    @Test
    void rejectsVectorsOfDifferentLengthsAndLeavesNoFile() throws IOException {
        Path file = dir.resolve("v.jsonl");
        assertThrows(
                IllegalArgumentException.class, () -> JsonlVectors.write(file, List.of(new float[2], new float[3])));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(), files.toList());
        }
    }

    @Test
    void overwritesAtomicallyLeavingNoTemporaryFiles() throws IOException {
        Path file = dir.resolve("v.jsonl");
        JsonlVectors.write(file, List.of(new float[] {1f}));
        JsonlVectors.write(file, List.of(new float[] {2f}, new float[] {3f}));
        assertEquals(List.of("[2.0]", "[3.0]"), Files.readAllLines(file));
        try (Stream<Path> files = Files.list(dir)) {
            assertEquals(List.of(file), files.toList());
        }
    }

    @Test
    void readsPythonStyleLinesAndSkipsBlankOnes() throws IOException {
        Path file = write(dir, "py.jsonl", "[0.1, -2, 3e-3]\n\n[Infinity, -Infinity, NaN]\n");
        List<float[]> vectors = JsonlVectors.read(file);
        assertSameBits(
                List.of(
                        new float[] {0.1f, -2f, 3e-3f},
                        new float[] {Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, Float.NaN}),
                vectors);
    }

    @ParameterizedTest
    @CsvSource(
            delimiter = '|',
            quoteCharacter = '`',
            value = {
                "[1.0, 2.0]|expected 3 values as on line 2, got 2",
                "[1.0, \"2\", 3.0]|element 1 is not a number",
                "[1.0, [2.0], 3.0]|element 1 is not a number",
                "[1.0, 2.0, 1e39]|element 2 is outside float32 range",
                "[1.0, 2.0, 3.0|malformed JSON",
                "[1.0, 2.0, 3.0] [|unexpected content after the array",
                "{\"v\": [1.0, 2.0, 3.0]}|expected a JSON array of numbers",
            })
    void badLineNamesFileAndLine(String line, String fragment) throws IOException {
        Path file = write(dir, "v.jsonl", "\n[1, 2, 3]\n" + line + "\n[4, 5, 6]\n");
        assertInputError(file, 3, null, fragment, () -> JsonlVectors.read(file));
    }

    @Test
    void gzNameIsWrittenAndReadGzipped() throws IOException {
        Path file = dir.resolve("v.jsonl.gz");
        List<float[]> vectors = awkwardVectors();
        JsonlVectors.write(file, vectors);
        assertEquals(0x1f, Files.readAllBytes(file)[0]);
        assertSameBits(vectors, JsonlVectors.read(file));
    }
}
