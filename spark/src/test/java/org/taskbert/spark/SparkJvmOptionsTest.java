package org.taskbert.spark;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The launcher's list of Spark's JVM flags (spark/jvm-options.txt) is the one this test JVM got from Surefire. */
class SparkJvmOptionsTest {

    @Test
    void theLauncherPassesTheFlagsSurefirePasses() throws Exception {
        Path file = Path.of("jvm-options.txt");
        List<String> flags = Files.readAllLines(file).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("#"))
                .toList();
        assertFalse(flags.isEmpty());
        List<String> jvm = ManagementFactory.getRuntimeMXBean().getInputArguments();
        for (String flag : flags) {
            assertTrue(jvm.contains(flag), flag + " is in " + file + " but not in spark/pom.xml's spark.add-opens");
        }
        long opens = jvm.stream().filter(a -> a.startsWith("--add-opens")).count();
        assertTrue(
                opens == flags.stream().filter(a -> a.startsWith("--add-opens")).count(), "same --add-opens: " + jvm);
    }
}
