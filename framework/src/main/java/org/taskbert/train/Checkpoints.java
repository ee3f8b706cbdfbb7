package org.taskbert.train;

import com.fasterxml.jackson.core.json.JsonReadFeature;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.taskbert.model.CheckpointManifest;
import org.taskbert.model.RunFolder;
import org.taskbert.model.Tensor;
import org.taskbert.model.format.Safetensors;

/**
 * The checkpoints of a run folder: {@code RUN/checkpoints/step-00000100/} holding {@code weights.safetensors},
 * {@code optimizer.safetensors}, {@code state.json} and, written last, {@code manifest.json} with the checksum of each
 * ({@link CheckpointManifest}); the file {@code RUN/checkpoints/latest} naming the newest complete one, and a copy of
 * the best one in {@code RUN/best/}.
 *
 * <p>A checkpoint is written into a hidden {@code .step-….tmp-<random>} folder, synced, and renamed into place, and
 * only then is {@code latest} replaced (temporary file + rename): a crash or a failed write at any point leaves
 * {@code latest} naming a complete checkpoint. After a write only the newest {@code keep} checkpoints and the best
 * one (as named in the written state) are kept. A checkpoint is verified against its manifest whenever it is read;
 * a lost {@code latest} is recovered from the newest checkpoint ({@link RunFolder#latestCheckpoint}).
 */
public final class Checkpoints {

    /** A checkpoint read back. */
    public record Loaded(
            Path dir, Map<String, Tensor> weights, Map<String, Tensor> optimizerState, TrainerState state) {}

    public static final int DEFAULT_KEEP = 2;

    private static final Logger LOG = LoggerFactory.getLogger(Checkpoints.class);
    private static final String TMP = ".tmp-";
    private static final JsonMapper JSON = JsonMapper.builder()
            .enable(JsonWriteFeature.WRITE_NAN_AS_STRINGS)
            .enable(JsonReadFeature.ALLOW_NON_NUMERIC_NUMBERS)
            .enable(SerializationFeature.INDENT_OUTPUT)
            .build();

    private final int keep;

    /** A store keeping the newest {@value #DEFAULT_KEEP} checkpoints plus the best. */
    public Checkpoints() {
        this(DEFAULT_KEEP);
    }

    /** A store keeping the newest {@code keep} (at least 1) checkpoints plus the best. */
    public Checkpoints(int keep) {
        if (keep < 1) {
            throw new IllegalArgumentException("must keep at least 1 checkpoint, got " + keep);
        }
        this.keep = keep;
    }

    /** The folder name of the checkpoint of a step: {@code step-00000100}. */
    public static String name(long step) {
        return RunFolder.checkpointName(step);
    }

    /**
     * Writes the checkpoint of {@code step} and makes it the latest, then prunes old ones. Returns its folder. If it
     * cannot be written, nothing of it is left and {@code latest} still names the previous checkpoint; the exception
     * says which.
     */
    public Path write(
            Path runDir, long step, Map<String, Tensor> weights, Map<String, Tensor> optimizerState, TrainerState state)
            throws IOException {
        if (state.step() != step) {
            throw new IllegalArgumentException("state is for step " + state.step() + ", checkpoint for step " + step);
        }
        Path folder = RunFolder.checkpoints(runDir);
        String name = name(step);
        Path dir = folder.resolve(name);
        Path tmp = folder.resolve("." + name + TMP + randomHex());
        Path displaced = null;
        try {
            Files.createDirectories(folder);
            Files.createDirectory(tmp);
            Map<String, String> meta = Map.of("step", Long.toString(step));
            Safetensors.write(tmp.resolve(RunFolder.WEIGHTS), weights, meta);
            Safetensors.write(tmp.resolve(RunFolder.OPTIMIZER), optimizerState, meta);
            writeSynced(tmp.resolve(RunFolder.STATE), JSON.writeValueAsBytes(state));
            CheckpointManifest.write(tmp, RunFolder.CHECKPOINT_FILES);
            syncDirectory(tmp);
            if (Files.exists(dir)) { // a checkpoint of this step from an abandoned run: replaced
                displaced = folder.resolve("." + name + TMP + "replaced-" + randomHex());
                Files.move(dir, displaced, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
            try {
                writeAtomically(folder.resolve(RunFolder.LATEST), (name + "\n").getBytes(StandardCharsets.UTF_8));
            } catch (IOException | RuntimeException e) {
                Files.move(dir, tmp, StandardCopyOption.ATOMIC_MOVE); // cleaned up below
                throw e;
            }
        } catch (IOException | RuntimeException e) {
            IOException failure = new IOException(
                    "checkpoint at step " + step + " not written (" + e + "); " + describeLatest(folder), e);
            try {
                deleteRecursively(tmp);
                if (displaced != null && !Files.exists(dir)) {
                    Files.move(displaced, dir, StandardCopyOption.ATOMIC_MOVE);
                }
            } catch (IOException | UncheckedIOException cleanup) {
                failure.addSuppressed(cleanup);
            }
            throw failure;
        }
        syncDirectory(folder);
        if (displaced != null) {
            deleteQuietly(displaced);
        }
        prune(folder, step, state.bestCheckpoint());
        return dir;
    }

    /**
     * The checkpoint to resume: the one named in {@code RUN/checkpoints/latest}, or, if that pointer is missing or
     * empty, the newest checkpoint folder (with a notice); verified against its manifest. Empty if there is none.
     * Leftover {@code .tmp-} folders of interrupted writes are logged and left alone.
     */
    public static Optional<Loaded> latest(Path runDir) throws IOException {
        Path folder = RunFolder.checkpoints(runDir);
        if (Files.isDirectory(folder)) {
            try (Stream<Path> entries = Files.list(folder)) {
                entries.filter(p -> p.getFileName().toString().contains(TMP))
                        .sorted()
                        .forEach(p -> LOG.warn(
                                "ignoring {}: left over from an interrupted checkpoint write (safe to delete)", p));
            }
        }
        Optional<Path> dir = RunFolder.latestCheckpoint(runDir, RunFolder.CHECKPOINT_FILES);
        return dir.isPresent() ? Optional.of(readVerified(dir.get())) : Optional.empty();
    }

    /**
     * The folder named in {@code RUN/checkpoints/latest} (without reading or verifying the checkpoint), or empty if
     * the pointer is missing or empty.
     */
    public static Optional<Path> latestDir(Path runDir) throws IOException {
        return RunFolder.latestPointer(runDir);
    }

    /** Whether the run folder holds any checkpoint, or a {@code latest} pointer, whether or not they are sound. */
    public static boolean any(Path runDir) throws IOException {
        return Files.exists(RunFolder.latestFile(runDir), LinkOption.NOFOLLOW_LINKS)
                || !RunFolder.checkpointFolders(runDir).isEmpty();
    }

    /** Reads the checkpoint in {@code dir}, after verifying its files against its manifest. */
    public static Loaded read(Path dir) throws IOException {
        CheckpointManifest.verify(dir, RunFolder.CHECKPOINT_FILES);
        return readVerified(dir);
    }

    private static Loaded readVerified(Path dir) throws IOException {
        Map<String, Tensor> weights = Safetensors.read(dir.resolve(RunFolder.WEIGHTS));
        Map<String, Tensor> optimizer = Safetensors.read(dir.resolve(RunFolder.OPTIMIZER));
        Path stateFile = dir.resolve(RunFolder.STATE);
        TrainerState state;
        try {
            state = JSON.readValue(stateFile.toFile(), TrainerState.class);
        } catch (IOException e) {
            throw new IOException(stateFile + " is not a checkpoint's state: " + e.getMessage(), e);
        }
        Optional<Long> step = RunFolder.checkpointStep(dir.getFileName().toString());
        if (step.isPresent() && step.get() != state.step()) {
            throw new IOException("checkpoint " + dir + " holds the state of step " + state.step());
        }
        return new Loaded(dir, weights, optimizer, state);
    }

    /**
     * Makes {@code RUN/best/} a copy of the checkpoint in {@code checkpointDir} (hard links where the file system
     * allows, else copies), built in a temporary folder and renamed into place, replacing the previous best.
     */
    public static void markBest(Path runDir, Path checkpointDir) throws IOException {
        if (!Files.isDirectory(checkpointDir)) {
            throw new NoSuchFileException(checkpointDir.toString(), null, "no checkpoint folder to mark as best");
        }
        Path best = RunFolder.best(runDir);
        Path tmp = runDir.resolve("." + RunFolder.BEST + TMP + randomHex());
        Path old = runDir.resolve("." + RunFolder.BEST + TMP + "old-" + randomHex());
        try {
            Files.createDirectory(tmp);
            for (String file : List.of(RunFolder.WEIGHTS, RunFolder.OPTIMIZER, RunFolder.STATE, RunFolder.MANIFEST)) {
                Path source = checkpointDir.resolve(file);
                Path target = tmp.resolve(file);
                try {
                    Files.createLink(target, source);
                } catch (IOException | UnsupportedOperationException e) {
                    Files.copy(source, target);
                    try (FileChannel channel = FileChannel.open(target, StandardOpenOption.WRITE)) {
                        channel.force(true);
                    }
                }
            }
            syncDirectory(tmp);
            boolean hadBest = Files.exists(best);
            if (hadBest) {
                Files.move(best, old, StandardCopyOption.ATOMIC_MOVE);
            }
            Files.move(tmp, best, StandardCopyOption.ATOMIC_MOVE);
            syncDirectory(runDir);
            if (hadBest) {
                deleteQuietly(old);
            }
        } catch (IOException | RuntimeException e) {
            deleteQuietly(tmp);
            throw new IOException("could not copy " + checkpointDir + " to " + best + " (" + e + ")", e);
        }
    }

    /**
     * Checks, before training, that checkpoints can be written under {@code runDir}: creates the folder, writes and
     * deletes a probe file, and checks that at least {@code bytesNeeded} bytes are free there.
     */
    public static void checkWritable(Path runDir, long bytesNeeded) throws IOException {
        Path folder = RunFolder.checkpoints(runDir);
        try {
            Files.createDirectories(folder);
        } catch (IOException e) {
            throw new IOException(
                    "run folder " + runDir + " is not writable: cannot create " + folder + " (" + e + ")", e);
        }
        Path probe = folder.resolve(".probe" + TMP + randomHex());
        try {
            writeSynced(probe, new byte[] {1});
            Files.delete(probe);
        } catch (IOException e) {
            deleteQuietly(probe);
            throw new IOException("run folder " + folder + " is not writable (" + e + ")", e);
        }
        long usable = Files.getFileStore(folder).getUsableSpace();
        if (usable < bytesNeeded) {
            throw new IOException("run folder " + folder + " needs " + bytes(bytesNeeded)
                    + " free for checkpoints, has " + bytes(usable));
        }
    }

    /** Deletes all but the newest {@code keep} checkpoints up to {@code step}, sparing the best; logs failures. */
    private void prune(Path folder, long step, String bestCheckpoint) {
        String best = bestCheckpoint == null
                ? null
                : Path.of(bestCheckpoint).getFileName().toString();
        Map<Long, Path> older = new TreeMap<>(Comparator.reverseOrder());
        List<Path> doomed = new ArrayList<>();
        try (Stream<Path> entries = Files.list(folder)) {
            for (Path p : (Iterable<Path>) entries::iterator) {
                Optional<Long> folderStep =
                        RunFolder.checkpointStep(p.getFileName().toString());
                if (folderStep.isEmpty()
                        || !Files.isDirectory(p)
                        || p.getFileName().toString().equals(best)) {
                    continue;
                }
                long s = folderStep.get();
                if (s > step) {
                    doomed.add(p); // from an abandoned run that went further than this one
                } else if (s < step) {
                    older.put(s, p);
                }
            }
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("could not list {} to delete old checkpoints: {}", folder, e.toString());
            return;
        }
        older.values().stream().skip(keep - 1).forEach(doomed::add);
        for (Path p : doomed) {
            deleteQuietly(p);
        }
    }

    private static String describeLatest(Path folder) {
        Path latest = folder.resolve(RunFolder.LATEST);
        try {
            return Files.exists(latest)
                    ? "the last good checkpoint is "
                            + Files.readString(latest, StandardCharsets.UTF_8).trim() + " in " + folder
                    : "there is no earlier checkpoint in " + folder;
        } catch (IOException e) {
            return "the last good checkpoint is unknown (cannot read " + latest + ": " + e + ")";
        }
    }

    private static void writeAtomically(Path target, byte[] content) throws IOException {
        Path tmp = target.resolveSibling("." + target.getFileName() + TMP + randomHex());
        try {
            writeSynced(tmp, content);
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException | RuntimeException e) {
            deleteQuietly(tmp);
            throw e;
        }
    }

    private static void writeSynced(Path file, byte[] content) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            ByteBuffer buffer = ByteBuffer.wrap(content);
            while (buffer.hasRemaining()) {
                channel.write(buffer);
            }
            channel.force(true);
        }
    }

    /** Syncs a folder's entries (renames) to disk where the platform allows opening a folder; else does nothing. */
    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException | RuntimeException e) {
            LOG.debug("cannot sync folder {}: {}", dir, e.toString());
        }
    }

    private static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    private static void deleteQuietly(Path path) {
        try {
            deleteRecursively(path);
        } catch (IOException | UncheckedIOException e) {
            LOG.warn("could not delete {}: {}", path, e.toString());
        }
    }

    private static String randomHex() {
        return Long.toHexString(ThreadLocalRandom.current().nextLong());
    }

    static String bytes(long n) {
        if (n < 1_000_000) {
            return String.format(Locale.ROOT, "%.1f kB", n / 1e3);
        }
        if (n < 1_000_000_000) {
            return String.format(Locale.ROOT, "%.1f MB", n / 1e6);
        }
        return String.format(Locale.ROOT, "%.1f GB", n / 1e9);
    }
}
