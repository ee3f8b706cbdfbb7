package org.taskbert.spi.eval;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.taskbert.spi.Pooling;
import org.taskbert.spi.SentenceEncoder;
import org.taskbert.spi.data.StsFile;
import org.taskbert.spi.data.StsPair;

/**
 * Unsupervised STS evaluation: the Spearman correlation ×100 between the cosine of the two
 * sentences' vectors and the gold score, per file and pooling. Each distinct sentence is encoded once.
 */
public final class StsEvaluation {

    private static final Logger LOG = LoggerFactory.getLogger(StsEvaluation.class);

    /** One file's result: pairs used, pairs skipped for a bad score, and Spearman ×100 per pooling. */
    public record FileResult(String file, int pairs, int skippedScores, Map<String, Double> spearman) {}

    private StsEvaluation() {}

    /** Reads an STS file, warning once with the count of pairs skipped for a non-numeric or NaN score. */
    public static StsFile read(Path file) throws IOException {
        StsFile sts = StsFile.read(file);
        if (sts.skippedScores() > 0) {
            LOG.warn(
                    "{}: skipped {} pair(s) with a missing, non-numeric or non-finite score (first at line {})",
                    file,
                    sts.skippedScores(),
                    sts.firstSkippedLine());
        }
        if (sts.pairs().size() < 2) {
            throw new IllegalArgumentException(
                    file + ": needs at least 2 scored pairs, has " + sts.pairs().size());
        }
        return sts;
    }

    /** Spearman ×100 per pooling for one file; each distinct sentence is encoded once. */
    public static FileResult evaluate(SentenceEncoder encoder, Path file, Set<Pooling> poolings) throws IOException {
        StsFile sts = read(file);
        Map<String, Integer> index = new LinkedHashMap<>();
        for (StsPair p : sts.pairs()) {
            index.putIfAbsent(p.sentence1(), index.size());
            index.putIfAbsent(p.sentence2(), index.size());
        }
        List<String> sentences = new ArrayList<>(index.keySet());
        Map<Pooling, float[][]> vectors = encoder.embed(sentences, poolings, false);
        return score(file.toString(), sts, index, vectors);
    }

    /** A task's STS metrics: {@code stsb/dev.spearman} (see {@link #metricName}) for each file, for one pooling. */
    public static Map<String, Double> spearmanByFile(SentenceEncoder encoder, List<Path> files, Pooling pooling)
            throws IOException {
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (Path f : files) {
            metrics.put(
                    metricName(f),
                    evaluate(encoder, f, java.util.EnumSet.of(pooling))
                            .spearman()
                            .get(pooling.id()));
        }
        return metrics;
    }

    /** A file named by its last two path elements, as tables show it: {@code stsb/dev.jsonl}. */
    public static String shortName(String file) {
        Path p = Path.of(file);
        return p.getNameCount() >= 2
                ? p.subpath(p.getNameCount() - 2, p.getNameCount()).toString()
                : file;
    }

    /** A file's metric name: {@code ../shared/data/sts/stsb/dev.jsonl} → {@code stsb/dev.spearman}. */
    public static String metricName(Path f) {
        String file = f.getFileName().toString().replaceAll("\\.jsonl(\\.gz)?$", "");
        Path parent = f.toAbsolutePath().normalize().getParent();
        return (parent != null ? parent.getFileName() + "/" : "") + file + ".spearman";
    }

    /** Spearman ×100 of cosine against gold, given each distinct sentence's vector. */
    public static FileResult score(
            String name, StsFile sts, Map<String, Integer> index, Map<Pooling, float[][]> vectors) {
        Map<String, Double> spearman = new LinkedHashMap<>();
        vectors.forEach((pooling, v) -> spearman.put(pooling.id(), spearman(sts, index, v)));
        return new FileResult(name, sts.pairs().size(), sts.skippedScores(), spearman);
    }

    /** Spearman ×100 of cosine against gold for one embedding: {@code v[index.get(sentence)]}. */
    public static double spearman(StsFile sts, Map<String, Integer> index, float[][] v) {
        double[] gold = sts.pairs().stream().mapToDouble(StsPair::score).toArray();
        double[] cos = sts.pairs().stream()
                .mapToDouble(p -> Cosine.cosine(v[index.get(p.sentence1())], v[index.get(p.sentence2())]))
                .toArray();
        return 100 * Spearman.correlation(cos, gold);
    }

    /**
     * The STS files as a task's {@link org.taskbert.spi.EmbeddingEvaluation}: every distinct sentence once, Spearman
     * ×100 of cosine against gold per file, named as {@link #metricName} names it.
     */
    public static org.taskbert.spi.EmbeddingEvaluation embeddingEvaluation(List<Path> files, int maxLength)
            throws IOException {
        Map<String, Integer> index = new LinkedHashMap<>();
        Map<Path, StsFile> read = new LinkedHashMap<>();
        for (Path f : files) {
            StsFile sts = read(f);
            read.put(f, sts);
            for (StsPair p : sts.pairs()) {
                index.putIfAbsent(p.sentence1(), index.size());
                index.putIfAbsent(p.sentence2(), index.size());
            }
        }
        List<String> texts = List.copyOf(index.keySet());
        int pairs = read.values().stream().mapToInt(s -> s.pairs().size()).sum();
        return new org.taskbert.spi.EmbeddingEvaluation(
                texts,
                maxLength,
                0,
                "Spearman ×100 of cosine against gold, " + pairs + " pairs in " + read.size() + " file(s)",
                vectors -> {
                    Map<String, Double> out = new LinkedHashMap<>();
                    read.forEach((f, sts) -> out.put(metricName(f), spearman(sts, index, vectors)));
                    return out;
                });
    }
}
