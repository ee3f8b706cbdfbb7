package org.taskbert.model;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.taskbert.model.format.Safetensors;

/**
 * A training run's folder: its layout, defined here and nowhere else, and the run used as a model (the base model's
 * vocabulary and config with the encoder weights of the run's best checkpoint, or its latest if it never evaluated).
 *
 * <pre>
 * RUN/train.lock                   held (FileChannel lock) by the train process writing the run; names it
 * RUN/config.yaml                  the config as run (file and --set overrides merged)
 * RUN/run.json                     base_model and pooling, for embed, export and compare
 * RUN/metrics.jsonl                one line a step ({@code StepMetrics}) and one an evaluation
 * RUN/checkpoints/step-00000100/   weights.safetensors, optimizer.safetensors, state.json, manifest.json
 * RUN/checkpoints/latest           names the newest complete checkpoint
 * RUN/best/                        a copy of the best checkpoint
 * </pre>
 *
 * <p>Every checkpoint folder's {@code manifest.json} ({@link CheckpointManifest}) holds the checksums of its files;
 * a checkpoint is verified before it is used. The {@code latest} pointer names a folder of {@code checkpoints/} and
 * nothing else: a name with a path in it, or a folder that resolves (through links) outside, is refused.
 */
public final class RunFolder {

    public static final String LOCK = "train.lock";
    public static final String CONFIG_YAML = "config.yaml";
    public static final String RUN_JSON = "run.json";
    public static final String METRICS = "metrics.jsonl";
    public static final String CHECKPOINTS = "checkpoints";
    public static final String LATEST = "latest";
    public static final String BEST = "best";
    public static final String WEIGHTS = "weights.safetensors";
    public static final String OPTIMIZER = "optimizer.safetensors";
    public static final String STATE = "state.json";
    public static final String MANIFEST = CheckpointManifest.FILE;

    /** The files of a checkpoint its manifest covers. */
    public static final List<String> CHECKPOINT_FILES = List.of(WEIGHTS, OPTIMIZER, STATE);

    private static final Logger LOG = LoggerFactory.getLogger(RunFolder.class);
    private static final Pattern STEP_FOLDER = Pattern.compile("step-(\\d{8,})");
    private static final int MAX_POINTER_BYTES = 4096;

    private RunFolder() {}

    public static Path configFile(Path run) {
        return run.resolve(CONFIG_YAML);
    }

    public static Path metricsFile(Path run) {
        return run.resolve(METRICS);
    }

    public static Path checkpoints(Path run) {
        return run.resolve(CHECKPOINTS);
    }

    public static Path latestFile(Path run) {
        return checkpoints(run).resolve(LATEST);
    }

    public static Path best(Path run) {
        return run.resolve(BEST);
    }

    public static Path lockFile(Path run) {
        return run.resolve(LOCK);
    }

    /** The folder name of the checkpoint of a step: {@code step-00000100}. */
    public static String checkpointName(long step) {
        if (step < 0) {
            throw new IllegalArgumentException("step must be >= 0, got " + step);
        }
        return String.format(java.util.Locale.ROOT, "step-%08d", step);
    }

    /** The step of a checkpoint folder's name ({@code step-00000100}: 100), or empty if it is not one. */
    public static Optional<Long> checkpointStep(String folderName) {
        Matcher m = STEP_FOLDER.matcher(folderName);
        return m.matches() ? Optional.of(Long.parseLong(m.group(1))) : Optional.empty();
    }

    public static boolean isRun(Path dir) {
        return Files.isRegularFile(dir.resolve(RUN_JSON));
    }

    /**
     * Whether {@code dir} holds a training run's files: its lock file, or its {@code run.json} and
     * {@code config.yaml} (a run written before runs had a lock file). {@code train} writes into no other non-empty
     * folder.
     */
    public static boolean holdsRun(Path dir) {
        return Files.isRegularFile(lockFile(dir), LinkOption.NOFOLLOW_LINKS)
                || (isRun(dir) && Files.isRegularFile(configFile(dir)));
    }

    /**
     * The checkpoint folder {@code checkpoints/latest} names, or empty if the pointer is missing or empty. A pointer
     * that is not a checkpoint's name, names a folder outside {@code checkpoints/} (through a path or a link), or a
     * folder that does not exist, is an error naming the pointer file.
     */
    public static Optional<Path> latestPointer(Path run) throws IOException {
        Path latest = latestFile(run);
        if (!Files.exists(latest, LinkOption.NOFOLLOW_LINKS)) {
            return Optional.empty();
        }
        if (!Files.isRegularFile(latest, LinkOption.NOFOLLOW_LINKS) || Files.size(latest) > MAX_POINTER_BYTES) {
            throw new IOException(latest + " should be a small file naming a checkpoint folder like step-00000100,"
                    + " but is " + (Files.isSymbolicLink(latest) ? "a link" : "not"));
        }
        String name = Files.readString(latest, StandardCharsets.UTF_8).trim();
        if (name.isEmpty()) {
            return Optional.empty();
        }
        if (name.contains("/") || name.contains("\\") || name.contains("..")) {
            throw new IOException(latest + " names '" + name + "', a path outside the run's checkpoints folder "
                    + checkpoints(run) + ": refused (it should name a folder like step-00000100)");
        }
        if (checkpointStep(name).isEmpty()) {
            throw new IOException(
                    latest + " should name a checkpoint folder like step-00000100, but holds '" + name + "'");
        }
        Path dir = checkpoints(run).resolve(name);
        if (!Files.isDirectory(dir)) {
            throw new IOException(latest + " names checkpoint " + name + ", but the folder " + dir + " does not exist");
        }
        requireInside(dir, checkpoints(run), latest + " names " + dir);
        return Optional.of(dir);
    }

    /** The run's checkpoint folders ({@code step-*}, confined to {@code checkpoints/}), newest first. */
    public static List<Path> checkpointFolders(Path run) throws IOException {
        Path folder = checkpoints(run);
        if (!Files.isDirectory(folder)) {
            return List.of();
        }
        List<Path> found = new ArrayList<>();
        try (Stream<Path> entries = Files.list(folder)) {
            for (Path p : (Iterable<Path>) entries::iterator) {
                if (checkpointStep(p.getFileName().toString()).isPresent()
                        && Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
                    found.add(p);
                }
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
        found.sort(Comparator.comparing(
                        (Path p) -> checkpointStep(p.getFileName().toString()).orElseThrow())
                .reversed());
        return found;
    }

    /**
     * The checkpoint to continue a run from: the one {@code checkpoints/latest} names, else, when the pointer is
     * missing or empty, the newest checkpoint folder (with a one-line notice); its {@code files} verified against its
     * manifest. Empty if the run has no checkpoint. A checkpoint that fails verification is an error naming the file;
     * an older one is never used in its place.
     */
    public static Optional<Path> latestCheckpoint(Path run, List<String> files) throws IOException {
        return latestCheckpoint(run, files, false);
    }

    private static Optional<Path> latestCheckpoint(Path run, List<String> files, boolean unverifiedOk)
            throws IOException {
        Optional<Path> named = latestPointer(run);
        if (named.isPresent()) {
            verify(named.get(), files, unverifiedOk);
            return named;
        }
        List<Path> folders = checkpointFolders(run);
        if (folders.isEmpty()) {
            return Optional.empty();
        }
        Path newest = folders.get(0);
        String lost = latestFile(run) + (Files.exists(latestFile(run)) ? " is empty" : " is missing");
        try {
            verify(newest, files, unverifiedOk);
        } catch (IOException e) {
            throw new IOException(
                    lost + ", and the newest checkpoint " + newest.getFileName()
                            + " cannot be used in its place: " + e.getMessage()
                            + (folders.size() > 1
                                    ? "; to use an older one, write its name (e.g. "
                                            + folders.get(1).getFileName() + ") to " + latestFile(run)
                                    : ""),
                    e);
        }
        LOG.warn("{}: using {}, the newest checkpoint (verified by its {})", lost, newest.getFileName(), MANIFEST);
        return Optional.of(newest);
    }

    /** The pooling the run trained (the vector its export produces). */
    public static String pooling(Path dir) {
        return runJson(dir).path("pooling").asText();
    }

    public static LoadedModel load(Path dir) {
        Path ckpt = best(dir);
        try {
            if (Files.isRegularFile(ckpt.resolve(WEIGHTS))) {
                requireInside(ckpt, dir, ckpt + " is a link");
                verify(ckpt, List.of(WEIGHTS), true);
            } else {
                ckpt = latestCheckpoint(dir, List.of(WEIGHTS), true)
                        .orElseThrow(() -> new ModelLoadException("the run " + dir + " has no checkpoint yet"));
            }
        } catch (IOException e) {
            throw new ModelLoadException("cannot load the run " + dir + ": " + e.getMessage(), e);
        }
        return load(dir, ckpt);
    }

    /**
     * The run folder a checkpoint folder belongs to ({@code RUN/checkpoints/step-…} or {@code RUN/best}, holding
     * {@value #WEIGHTS}), or empty if {@code dir} is not one.
     */
    public static Optional<Path> runOf(Path dir) {
        if (!Files.isRegularFile(dir.resolve(WEIGHTS))) {
            return Optional.empty();
        }
        Path abs = dir.toAbsolutePath().normalize();
        Path parent = abs.getParent();
        if (parent == null) {
            return Optional.empty();
        }
        String name = abs.getFileName().toString();
        if (name.equals(BEST) && isRun(parent)) {
            return Optional.of(parent);
        }
        boolean step = checkpointStep(name).isPresent()
                && parent.getFileName() != null
                && parent.getFileName().toString().equals(CHECKPOINTS);
        return step && parent.getParent() != null && isRun(parent.getParent())
                ? Optional.of(parent.getParent())
                : Optional.empty();
    }

    /** One checkpoint of a run as a model, verified against its manifest (a checkpoint from before them warned of). */
    public static LoadedModel loadCheckpoint(Path checkpoint) {
        Path run = runOf(checkpoint)
                .orElseThrow(() -> new ModelLoadException(checkpoint + " is not a checkpoint of a run"));
        try {
            verify(checkpoint, List.of(WEIGHTS), true);
        } catch (IOException e) {
            throw new ModelLoadException("cannot load the checkpoint " + checkpoint + ": " + e.getMessage(), e);
        }
        return load(run, checkpoint);
    }

    private static LoadedModel load(Path dir, Path ckpt) {
        LoadedModel base = Models.load(runJson(dir).path("base_model").asText());
        Map<String, Tensor> weights = new LinkedHashMap<>();
        try {
            Safetensors.read(ckpt.resolve(WEIGHTS)).forEach((k, v) -> {
                if (!k.startsWith("head.")) {
                    weights.put(k, v);
                }
            });
        } catch (IOException e) {
            throw new ModelLoadException("cannot read " + ckpt.resolve(WEIGHTS) + ": " + e.getMessage(), e);
        }
        return new LoadedModel(
                dir.getFileName().toString(),
                new BertWeights(base.config(), weights, "run " + dir + " (" + ckpt.getFileName() + ")"),
                base.vocabFile(),
                base.lowerCase());
    }

    /** Verifies a checkpoint's files; a checkpoint from before manifests is used with a warning where allowed. */
    private static void verify(Path checkpoint, List<String> files, boolean unverifiedOk) throws IOException {
        if (unverifiedOk && !CheckpointManifest.exists(checkpoint)) {
            LOG.warn(
                    "{} has no {} (written before checkpoints carried checksums): loading it unverified",
                    checkpoint,
                    MANIFEST);
            return;
        }
        CheckpointManifest.verify(checkpoint, files);
    }

    /** Fails unless {@code path}, links resolved, lies directly in {@code folder} (links resolved). */
    private static void requireInside(Path path, Path folder, String what) throws IOException {
        Path real = path.toRealPath();
        Path parent = real.getParent();
        if (parent == null || !parent.equals(folder.toRealPath())) {
            throw new IOException(
                    what + ", which resolves to " + real + ", outside the run's folder " + folder + ": refused");
        }
    }

    private static JsonNode runJson(Path dir) {
        try {
            return new ObjectMapper().readTree(dir.resolve(RUN_JSON).toFile());
        } catch (IOException e) {
            throw new ModelLoadException("cannot read " + dir.resolve(RUN_JSON) + ": " + e.getMessage(), e);
        }
    }
}
