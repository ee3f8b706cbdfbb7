package org.taskbert.compare;

import java.nio.file.Path;
import java.util.List;
import org.taskbert.spi.Pooling;
import org.taskbert.spi.config.ConfigChecks;
import org.taskbert.spi.config.ConfigException;

/**
 * What {@code taskbert compare} measures: which models and poolings, on which STS files, with which
 * corpora for whitening and the probes, and where the report goes. Paths are relative to the
 * working directory. Sample sizes are explicit so that the report says what each number rests on. {@code locale}
 * (default {@code en}) is the language of the corpora, whose sentence splitter it selects ({@code ja} for Japanese).
 */
public record CompareConfig(
        List<String> models,
        List<String> poolings,
        List<Path> sts,
        StsProbe stsProbe,
        Whitening whitening,
        CorpusProbes corpus,
        Tasks tasks,
        Integer anisotropyPairs,
        Long seed,
        Integer batchSize,
        Integer maxLength,
        String locale,
        Path output) {

    /** The STS probe: a ridge regressor on pair features, trained on (a sample of) an STS train file. */
    public record StsProbe(Path train, Integer maxPairs) {
        public StsProbe {
            maxPairs = maxPairs == null ? 2000 : maxPairs;
        }
    }

    /** Whitening fitted on the evaluated sentences and on sentences of an unlabelled corpus; k = 0 keeps all. */
    public record Whitening(Path corpus, Integer sentences, List<Integer> dims) {
        public Whitening {
            sentences = sentences == null ? 3000 : sentences;
            dims = dims == null ? List.of(0, 256) : List.copyOf(dims);
        }
    }

    /** The next-sentence and topic probes on a corpus with document boundaries (and labels). */
    public record CorpusProbes(
            Path file, Integer nspPairs, Integer topicSentences, Double testFraction, Integer minSamples) {
        public CorpusProbes {
            nspPairs = nspPairs == null ? 2000 : nspPairs;
            topicSentences = topicSentences == null ? 3000 : topicSentences;
            testFraction = testFraction == null ? 0.3 : testFraction;
            minSamples = minSamples == null ? 200 : minSamples;
        }
    }

    /**
     * Task-specific against generic: each fine-tuned run's own metrics (at its best checkpoint) beside a linear probe
     * or cosine over every generic embedding on the same evaluation set, raw and whitened, and over other runs'
     * sentence vectors (e.g. siamese-nsp's). {@code models} defaults to the top-level list.
     */
    public record Tasks(
            List<Path> runs,
            List<String> models,
            List<String> poolings,
            Boolean whitened,
            List<Path> sentenceVectors,
            List<String> baselines) {

        /** Baselines that need no model: {@code tfidf} (5,000 terms, fitted as whitening is). */
        public static final List<String> BASELINES = List.of("tfidf");

        public Tasks {
            baselines = baselines == null ? List.of() : List.copyOf(baselines);
            runs = runs == null ? List.of() : List.copyOf(runs);
            models = models == null ? null : List.copyOf(models);
            poolings = poolings == null ? List.of("cls", "pooler", "mean", "first_last_avg") : List.copyOf(poolings);
            whitened = whitened == null ? Boolean.TRUE : whitened;
            sentenceVectors = sentenceVectors == null ? List.of() : List.copyOf(sentenceVectors);
        }

        public java.util.Set<Pooling> poolingSet() {
            return Pooling.parseList(String.join(",", poolings));
        }
    }

    public CompareConfig {
        poolings = poolings == null ? List.of("all") : List.copyOf(poolings);
        anisotropyPairs = anisotropyPairs == null ? 2000 : anisotropyPairs;
        seed = seed == null ? 42L : seed;
        batchSize = batchSize == null ? org.taskbert.encoder.Encoder.DEFAULT_BATCH_SIZE : batchSize;
        maxLength = maxLength == null ? 128 : maxLength;
        output = output == null ? Path.of("out", "compare") : output;
        locale = locale == null ? "en" : locale;
    }

    /** Every referenced file exists and every pooling is known; the error names the field. */
    public CompareConfig validate(String name) {
        if ((sts == null || sts.isEmpty()) && tasks == null) {
            throw new ConfigException(name + ": nothing to compare: give 'sts' (a list of STS JSONL files), 'tasks'"
                    + " (fine-tuned runs against generic embeddings), or both");
        }
        if (models == null || models.isEmpty()) {
            if (tasks == null || tasks.models() == null || tasks.models().isEmpty()) {
                throw new ConfigException(name + ": missing required field 'models' (a list of model names)");
            }
        }
        ConfigChecks.requireLocale(name, "locale", locale);
        if (sts != null) {
            ConfigChecks.requireFiles(name, "sts", sts);
        }
        if (tasks != null) {
            validateTasks(name);
        }
        try {
            poolingSet();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(name + ": field 'poolings': " + e.getMessage());
        }
        if (stsProbe != null) {
            ConfigChecks.requireFile(name, "sts_probe.train", stsProbe.train());
        }
        if (whitening != null && whitening.corpus() != null) {
            ConfigChecks.requireFile(name, "whitening.corpus", whitening.corpus());
        }
        if (corpus != null) {
            ConfigChecks.requireFile(name, "corpus.file", corpus.file());
            if (corpus.testFraction() <= 0 || corpus.testFraction() >= 1) {
                throw new ConfigException(
                        name + ": field 'corpus.test_fraction' must be between 0 and 1, got " + corpus.testFraction());
            }
        }
        return this;
    }

    private void validateTasks(String name) {
        if (tasks.runs().isEmpty()) {
            throw new ConfigException(name + ": field 'tasks.runs' needs at least one fine-tuned run folder");
        }
        for (int i = 0; i < tasks.runs().size(); i++) {
            requireRun(name, "tasks.runs[" + i + "]", tasks.runs().get(i), true);
        }
        for (int i = 0; i < tasks.sentenceVectors().size(); i++) {
            requireRun(
                    name,
                    "tasks.sentence_vectors[" + i + "]",
                    tasks.sentenceVectors().get(i),
                    false);
        }
        try {
            tasks.poolingSet();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(name + ": field 'tasks.poolings': " + e.getMessage());
        }
        for (String b : tasks.baselines()) {
            if (!Tasks.BASELINES.contains(b)) {
                throw new ConfigException(name + ": field 'tasks.baselines': unknown baseline '" + b + "' (known: "
                        + String.join(", ", Tasks.BASELINES) + ")");
            }
        }
    }

    private static void requireRun(String name, String field, Path run, boolean evaluated) {
        if (!java.nio.file.Files.isRegularFile(run.resolve(org.taskbert.model.RunFolder.RUN_JSON))) {
            throw new ConfigException(
                    name + ": field '" + field + "': " + run + " is not a taskbert run folder" + " (no run.json)");
        }
        if (evaluated && !java.nio.file.Files.isRegularFile(run.resolve("best").resolve("state.json"))) {
            throw new ConfigException(name + ": field '" + field + "': the run " + run + " has no evaluated best"
                    + " checkpoint (best/state.json); train it with training.eval_every > 0");
        }
    }

    /** The models of the task comparison: its own list, else the top-level one. */
    public List<String> taskModels() {
        return tasks.models() != null && !tasks.models().isEmpty() ? tasks.models() : models;
    }

    public java.util.Set<Pooling> poolingSet() {
        return Pooling.parseList(String.join(",", poolings));
    }
}
