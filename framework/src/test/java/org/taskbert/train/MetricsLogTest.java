package org.taskbert.train;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsLogTest {

    @TempDir
    Path tmp;

    @Test
    void aResumeCutsTheLogBackToItsStep() throws IOException {
        Path file = tmp.resolve("metrics.jsonl");
        MetricsLog log = new MetricsLog(file);
        for (int step = 1; step <= 5; step++) {
            log.append("{\"step\":" + step + ",\"loss\":1.0}");
        }
        log.append("{\"step\":4,\"eval\":{\"m\":1.0}}");
        Files.writeString(file, "{\"step\":6,\"lo", java.nio.file.StandardOpenOption.APPEND); // cut by a kill
        assertEquals(2, log.truncateTo(4));
        assertEquals(
                List.of(
                        "{\"step\":1,\"loss\":1.0}",
                        "{\"step\":2,\"loss\":1.0}",
                        "{\"step\":3,\"loss\":1.0}",
                        "{\"step\":4,\"loss\":1.0}",
                        "{\"step\":4,\"eval\":{\"m\":1.0}}"),
                Files.readAllLines(file));
        assertEquals(0, log.truncateTo(4));
        assertEquals(5, log.truncateTo(0));
        assertEquals(List.of(), Files.readAllLines(file));
        assertEquals(0, new MetricsLog(tmp.resolve("none.jsonl")).truncateTo(3));
    }
}
