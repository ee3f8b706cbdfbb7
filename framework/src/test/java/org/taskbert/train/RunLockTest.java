package org.taskbert.train;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.taskbert.model.RunFolder;

class RunLockTest {

    @TempDir
    Path tmp;

    /** Holds the lock of the run folder {@code args[0]}, says so, and waits to be killed. */
    public static final class Holder {
        public static void main(String[] args) throws Exception {
            RunLock lock = RunLock.claim(Path.of(args[0]));
            System.out.println("locked");
            System.out.flush();
            Thread.sleep(600_000);
            lock.close();
        }
    }

    private static List<String> entries(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    @Test
    void aNewOrEmptyFolderIsClaimedAndMarkedAsARun() throws IOException {
        Path fresh = tmp.resolve("a/new/run");
        try (RunLock lock = RunLock.claim(fresh)) {
            assertTrue(Files.readString(RunFolder.lockFile(fresh))
                    .startsWith("pid " + ProcessHandle.current().pid() + " on host "));
        }
        assertTrue(RunFolder.holdsRun(fresh));
        Path empty = Files.createDirectories(tmp.resolve("empty"));
        RunLock.claim(empty).close();
        assertEquals(List.of(RunFolder.LOCK), entries(empty));
        RunLock.claim(empty).close(); // released on close: claimed again
    }

    @Test
    void aFolderThatIsNotARunIsRefusedUntouched() throws IOException {
        Path mine = Files.createDirectories(tmp.resolve("mine"));
        Files.writeString(mine.resolve("config.yaml"), "mine: true\n");
        IOException e = assertThrows(IOException.class, () -> RunLock.claim(mine));
        assertTrue(e.getMessage().contains(mine.toString()), e.getMessage());
        assertTrue(e.getMessage().contains("not a taskbert run folder (it holds config.yaml"), e.getMessage());
        assertEquals(List.of("config.yaml"), entries(mine));
        Path file = Files.writeString(tmp.resolve("a-file"), "x");
        e = assertThrows(IOException.class, () -> RunLock.claim(file));
        assertTrue(e.getMessage().contains(file + " is a file"), e.getMessage());
        // A run written before runs had a lock file is still a run.
        Path old = Files.createDirectories(tmp.resolve("old-run"));
        Files.writeString(RunFolder.configFile(old), "model: x\n");
        Files.writeString(old.resolve(RunFolder.RUN_JSON), "{}");
        RunLock.claim(old).close();
    }

    @Test
    void aSecondClaimInThisProcessFailsNamingIt() throws IOException {
        Path run = tmp.resolve("run");
        try (RunLock lock = RunLock.claim(run)) {
            IOException e = assertThrows(IOException.class, () -> RunLock.claim(run));
            assertTrue(e.getMessage().contains("in use by another taskbert train"), e.getMessage());
            assertTrue(e.getMessage().contains("pid " + ProcessHandle.current().pid()), e.getMessage());
        }
    }

    @Test
    void anotherProcessesLockFailsAtOnceNamingItAndAKilledOnesDoesNotBlock() throws Exception {
        Path run = tmp.resolve("run");
        Process holder = new ProcessBuilder(
                        ProcessHandle.current().info().command().orElse("java"),
                        "-Xmx64m",
                        "-cp",
                        System.getProperty("java.class.path"),
                        Holder.class.getName(),
                        run.toString())
                .redirectErrorStream(true)
                .start();
        try {
            BufferedReader out =
                    new BufferedReader(new InputStreamReader(holder.getInputStream(), StandardCharsets.UTF_8));
            assertEquals("locked", out.readLine());
            long start = System.nanoTime();
            IOException e = assertThrows(IOException.class, () -> RunLock.claim(run));
            assertTrue(System.nanoTime() - start < 5_000_000_000L, "at once");
            assertTrue(e.getMessage().contains("pid " + holder.pid() + " on host "), e.getMessage());
            assertTrue(e.getMessage().contains(RunFolder.lockFile(run).toString()), e.getMessage());
        } finally {
            holder.destroyForcibly();
            assertTrue(holder.waitFor(60, TimeUnit.SECONDS));
        }
        assertTrue(Files.readString(RunFolder.lockFile(run)).contains("pid " + holder.pid()), "a stale lock file");
        try (RunLock lock = RunLock.claim(run)) {
            String now = Files.readString(RunFolder.lockFile(run));
            assertTrue(now.startsWith("pid " + ProcessHandle.current().pid() + " "), now);
            assertFalse(now.contains("pid " + holder.pid()), now);
        }
    }
}
