package org.taskbert.train;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.stream.Stream;
import org.taskbert.model.RunFolder;

/**
 * A run folder claimed by one {@code train} process: the folder is new, empty or a run's, and its {@code train.lock}
 * is locked ({@link FileChannel#tryLock}) by this process and names it (pid, host, start). A second process fails at
 * once, naming the holder. The lock goes with the process (on {@link #close} or its exit, a kill included); the file
 * stays as the mark of a run folder, and a file whose lock nobody holds blocks nothing.
 */
final class RunLock implements AutoCloseable {

    private static final int MAX_HOLDER_BYTES = 1024;

    private final FileChannel channel;
    private final FileLock lock;

    private RunLock(FileChannel channel, FileLock lock) {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * Claims {@code run} for training: refuses an existing file, and a non-empty folder that is not a run folder
     * (before anything is written), creates the folder if needed, and takes its lock.
     */
    static RunLock claim(Path run) throws IOException {
        if (Files.exists(run) && !Files.isDirectory(run)) {
            throw new IOException("the output " + run + " is a file, not a run folder: choose another output");
        }
        if (Files.isDirectory(run) && !RunFolder.holdsRun(run) && !isEmpty(run)) {
            throw new IOException("the output folder " + run + " is not a taskbert run folder (it holds "
                    + someEntries(run) + " and no " + RunFolder.LOCK + "): train writes only into a new or empty"
                    + " folder or one of its own runs; choose another output");
        }
        try {
            Files.createDirectories(run);
        } catch (IOException e) {
            throw new IOException("run folder " + run + " cannot be created (" + e + ")", e);
        }
        Path file = RunFolder.lockFile(run);
        if (Files.isSymbolicLink(file)) {
            throw new IOException(file + " is a link: refused (a run folder's lock file is a plain file)");
        }
        FileChannel channel;
        try {
            channel = FileChannel.open(
                    file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw new IOException("run folder " + run + " is not writable: cannot open " + file + " (" + e + ")", e);
        }
        try {
            FileLock lock;
            try {
                lock = channel.tryLock();
            } catch (OverlappingFileLockException e) {
                lock = null; // held by this very process, through another channel
            }
            if (lock == null) {
                throw new IOException("the run folder " + run + " is in use by another taskbert train ("
                        + holder(channel) + ", holding " + file + "): wait for it to end, or stop it");
            }
            byte[] me = (describe(ProcessHandle.current()) + "\n").getBytes(StandardCharsets.UTF_8);
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(me), 0);
            channel.force(true);
            return new RunLock(channel, lock);
        } catch (IOException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    @Override
    public void close() throws IOException {
        try {
            lock.release();
        } finally {
            channel.close();
        }
    }

    /** What the lock file says of its holder: {@code pid 1234 on host h, started 2024-…}. */
    private static String holder(FileChannel channel) {
        try {
            long size = Math.min(channel.size(), MAX_HOLDER_BYTES);
            ByteBuffer buffer = ByteBuffer.allocate((int) size);
            while (buffer.hasRemaining() && channel.read(buffer, buffer.position()) > 0) {}
            String text = new String(buffer.array(), 0, buffer.position(), StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? "a process that has not written its name yet" : text;
        } catch (IOException e) {
            return "a process whose name cannot be read (" + e.getMessage() + ")";
        }
    }

    private static String describe(ProcessHandle process) {
        String host;
        try {
            host = InetAddress.getLocalHost().getHostName();
        } catch (IOException e) {
            host = "unknown";
        }
        String started = process.info().startInstant().map(Instant::toString).orElse("unknown");
        return "pid " + process.pid() + " on host " + host + ", started " + started;
    }

    private static String someEntries(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            java.util.List<String> names =
                    entries.map(p -> p.getFileName().toString()).sorted().toList();
            return String.join(", ", names.subList(0, Math.min(3, names.size())))
                    + (names.size() > 3 ? " and " + (names.size() - 3) + " more" : "");
        }
    }

    private static boolean isEmpty(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.findAny().isEmpty();
        }
    }
}
