package org.taskbert.compare;

import java.nio.file.Path;
import java.util.List;
import org.taskbert.config.ConfigException;
import org.taskbert.config.ConfigLoader;
import org.taskbert.encoder.Pooling;

/**
 * What {@code taskbert compare} measures: which models and poolings, on which STS files, with which
 * corpora for whitening and the probes, and where the report goes. Paths are relative to the
 * working directory. Sample sizes are explicit so that the report says what each number rests on.
 */
public record CompareConfig(
        List<String> models,
        List<String> poolings,
        List<Path> sts,
        StsProbe stsProbe,
        Whitening whitening,
        CorpusProbes corpus,
        Integer anisotropyPairs,
        Long seed,
        Integer batchSize,
        Integer maxLength,
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
    public record CorpusProbes(Path file, Integer nspPairs, Integer topicSentences, Double testFraction,
            Integer minSamples) {
        public CorpusProbes {
            nspPairs = nspPairs == null ? 2000 : nspPairs;
            topicSentences = topicSentences == null ? 3000 : topicSentences;
            testFraction = testFraction == null ? 0.3 : testFraction;
            minSamples = minSamples == null ? 200 : minSamples;
        }
    }

    public CompareConfig {
        poolings = poolings == null ? List.of("all") : List.copyOf(poolings);
        anisotropyPairs = anisotropyPairs == null ? 2000 : anisotropyPairs;
        seed = seed == null ? 42L : seed;
        batchSize = batchSize == null ? 32 : batchSize;
        maxLength = maxLength == null ? 128 : maxLength;
        output = output == null ? Path.of("out", "compare") : output;
    }

    /** Every referenced file exists and every pooling is known; the error names the field. */
    public CompareConfig validate(String name) {
        if (models == null || models.isEmpty()) {
            throw new ConfigException(name + ": missing required field 'models' (a list of model names)");
        }
        if (sts == null || sts.isEmpty()) {
            throw new ConfigException(name + ": missing required field 'sts' (a list of STS JSONL files)");
        }
        ConfigLoader.requireFiles(name, "sts", sts);
        try {
            poolingSet();
        } catch (IllegalArgumentException e) {
            throw new ConfigException(name + ": field 'poolings': " + e.getMessage());
        }
        if (stsProbe != null) {
            ConfigLoader.requireFile(name, "sts_probe.train", stsProbe.train());
        }
        if (whitening != null && whitening.corpus() != null) {
            ConfigLoader.requireFile(name, "whitening.corpus", whitening.corpus());
        }
        if (corpus != null) {
            ConfigLoader.requireFile(name, "corpus.file", corpus.file());
            if (corpus.testFraction() <= 0 || corpus.testFraction() >= 1) {
                throw new ConfigException(name + ": field 'corpus.test_fraction' must be between 0 and 1, got "
                        + corpus.testFraction());
            }
        }
        return this;
    }

    public java.util.Set<Pooling> poolingSet() {
        return Pooling.parseList(String.join(",", poolings));
    }
}
