package org.taskbert.spi.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Issue 15, section 4: lines are streamed, one at a time, and a line over the bound fails where it starts. */
class Utf8LineReaderTest {

    @TempDir
    Path dir;

    @Test
    void aLineOverTheBoundFailsWithItsLineAndByteOffset() throws IOException {
        Path file = Files.writeString(dir.resolve("in.txt"), "0123456789\nok\n" + "x".repeat(11) + "\nnever\n");
        try (Utf8LineReader lines = new Utf8LineReader(file, 10)) {
            assertEquals("0123456789", lines.readLine(), "exactly the bound is a line");
            assertEquals("ok", lines.readLine());
            InputFormatException e = assertThrows(InputFormatException.class, lines::readLine);
            assertEquals(3, e.line());
            assertEquals(14, e.byteOffset());
            assertTrue(e.getMessage().startsWith(file + ":3: line longer than 10 bytes"), e.getMessage());
        }
    }

    @Test
    void theDefaultBoundIsSixteenMebibytes() throws IOException {
        Path file = dir.resolve("long.txt");
        Files.write(
                file,
                List.of("y".repeat(Utf8LineReader.MAX_LINE_BYTES), "z".repeat(Utf8LineReader.MAX_LINE_BYTES + 1)));
        try (Utf8LineReader lines = new Utf8LineReader(file)) {
            assertEquals(Utf8LineReader.MAX_LINE_BYTES, lines.readLine().length());
            assertThrows(InputFormatException.class, lines::readLine);
        }
    }

    @Test
    void aMissingFileOrAFolderIsNamed() throws IOException {
        Path missing = dir.resolve("nowhere.txt");
        NoSuchFileException gone = assertThrows(NoSuchFileException.class, () -> new Utf8LineReader(missing));
        assertEquals(missing + ": does not exist", gone.getMessage());
        FileSystemException folder = assertThrows(FileSystemException.class, () -> Utf8Lines.read(dir));
        assertEquals(dir + ": is a folder, not a file", folder.getMessage());
    }

    @Test
    void utf8LinesKeepsItsRulesWhenStreamed() throws IOException {
        Path file = Files.writeString(dir.resolve("in.txt"), "\uFEFFa\r\n\nb\r");
        assertEquals(List.of("a", "", "b"), Utf8Lines.read(file));
        try (Utf8LineReader lines = new Utf8LineReader(Files.writeString(dir.resolve("e.txt"), ""))) {
            assertNull(lines.readLine());
        }
    }
}
