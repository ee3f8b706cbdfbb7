package org.taskbert.train;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * A run's {@code metrics.jsonl}, appended one line at a time (a step's {@link StepMetrics}, an evaluation). A run
 * resumed at step N first cuts it back to step N: the lines of the steps after the checkpoint, which the resumed run
 * repeats, and a line cut short by a kill, are dropped, so each step has one line.
 */
final class MetricsLog {

    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path file;

    MetricsLog(Path file) {
        this.file = file;
    }

    void append(String line) throws IOException {
        Files.writeString(
                file, line + "\n", StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    /**
     * Keeps the lines of steps up to {@code step} (a temporary file renamed over the log); returns how many were
     * dropped. Nothing is done to a log that needs no cut.
     */
    int truncateTo(long step) throws IOException {
        if (!Files.exists(file)) {
            return 0;
        }
        Path tmp = file.resolveSibling(
                "." + file.getFileName() + ".tmp-" + ProcessHandle.current().pid());
        int dropped = 0;
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
                BufferedWriter out = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
            for (String line; (line = in.readLine()) != null; ) {
                if (line.isBlank()) {
                    continue;
                }
                if (stepOf(line) <= step) {
                    out.write(line);
                    out.write('\n');
                } else {
                    dropped++;
                }
            }
        } catch (IOException | RuntimeException e) {
            Files.deleteIfExists(tmp);
            throw new IOException("cannot cut " + file + " back to step " + step + " (" + e + ")", e);
        }
        if (dropped == 0) {
            Files.delete(tmp);
            return 0;
        }
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
            channel.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        return dropped;
    }

    /** A line's step; a line that is not a whole JSON object with a step (one cut by a kill) counts as after all. */
    private static long stepOf(String line) {
        try {
            JsonNode n = JSON.readTree(line);
            return n != null && n.path("step").canConvertToLong()
                    ? n.get("step").asLong()
                    : Long.MAX_VALUE;
        } catch (IOException e) {
            return Long.MAX_VALUE;
        }
    }
}
