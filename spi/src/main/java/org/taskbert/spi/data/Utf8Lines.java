package org.taskbert.spi.data;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The lines of a strictly decoded UTF-8 file, gunzipped first when its name ends in {@code .gz}. Lines end at
 * {@code \n} (a {@code \r} before it is dropped too); a final newline does not start an extra line; a leading BOM is
 * dropped. Malformed UTF-8 fails with the byte offset of the first bad byte (in the decompressed bytes) and its line.
 * The file is streamed by {@link Utf8LineReader}: only the lines are kept, never the file's bytes, and a line longer
 * than {@link Utf8LineReader#MAX_LINE_BYTES} fails with its line and byte offset.
 */
public final class Utf8Lines {
    private Utf8Lines() {}

    public static List<String> read(Path file) throws IOException {
        List<String> lines = new ArrayList<>();
        try (Utf8LineReader reader = new Utf8LineReader(file)) {
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                lines.add(line);
            }
        }
        return lines;
    }
}
