package org.taskbert.compare;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.taskbert.analysis.Anisotropy;
import org.taskbert.analysis.RidgeProbe;
import org.taskbert.analysis.SampleSize;
import org.taskbert.analysis.Whitening;
import org.taskbert.encoder.Encoder;
import org.taskbert.encoder.TextEncoder;
import org.taskbert.model.Models;
import org.taskbert.spi.Pooling;
import org.taskbert.spi.data.Corpus;
import org.taskbert.spi.data.Document;
import org.taskbert.spi.data.DocumentSplit;
import org.taskbert.spi.data.LabelledSentence;
import org.taskbert.spi.data.NextSentencePairs;
import org.taskbert.spi.data.SentencePair;
import org.taskbert.spi.data.SentenceSplitter;
import org.taskbert.spi.data.StsFile;
import org.taskbert.spi.data.StsPair;
import org.taskbert.spi.data.TopicSentences;
import org.taskbert.spi.eval.LogisticProbe;
import org.taskbert.spi.eval.Spearman;
import org.taskbert.spi.eval.StsEvaluation;

/**
 * The studies of the [CLS] report, for one model: geometry by cosine, geometry repaired by
 * whitening, information by probe, what the pooler knows (next-sentence against topic), and
 * anisotropy. Every number comes with the sample it rests on.
 */
public final class Comparison {

    /** Starts a progress report for a task of {@code total} items. */
    @FunctionalInterface
    public interface ProgressFactory {
        Encoder.Progress start(String task, int total);
    }

    private static final double[] L2_GRID = {1e-4, 1e-3, 1e-2, 1e-1, 1};
    private static final double[] RIDGE_GRID = {1e-1, 1, 10, 100, 1000};
    private static final int WHITEN_ALL = 0;

    private final CompareConfig cfg;
    private final ProgressFactory progress;

    public Comparison(CompareConfig cfg, ProgressFactory progress) {
        this.cfg = cfg;
        this.progress = progress;
    }

    public CompareResults.ModelResults run(String model) throws IOException {
        long start = System.nanoTime();
        Set<Pooling> poolings = cfg.poolingSet();
        CompareResults.ModelResults r = new CompareResults.ModelResults(model);
        try (TextEncoder enc = TextEncoder.open(Models.load(model), cfg.batchSize(), cfg.maxLength())) {
            if (!enc.encoder().available().containsAll(poolings)) {
                Set<Pooling> missing = new TreeSet<>(poolings);
                missing.removeAll(enc.encoder().available());
                throw new IllegalArgumentException(
                        "model " + model + " cannot compute " + missing + " (no pooler weights in its checkpoint)");
            }
            Map<Pooling, float[][]> corpusVectors = whiteningCorpus(enc, poolings, r);
            RidgeProbes probes = stsProbes(enc, poolings, r);
            for (Path file : cfg.sts()) {
                stsFile(enc, poolings, file, corpusVectors, probes, r);
            }
            if (corpusVectors != null) {
                for (Pooling p : poolings) {
                    r.anisotropy.put(
                            p.id(),
                            Anisotropy.meanRandomPairCosine(corpusVectors.get(p), cfg.anisotropyPairs(), cfg.seed()));
                }
            }
            if (cfg.corpus() != null) {
                corpusProbes(enc, poolings, r);
            }
        }
        r.seconds = (System.nanoTime() - start) / 1e9;
        return r;
    }

    private SentenceSplitter splitter() {
        return new SentenceSplitter(new com.ibm.icu.util.ULocale(cfg.locale()));
    }

    /** Sentences of the unlabelled corpus: whitening's second fit, and the random pairs of the anisotropy study. */
    private Map<Pooling, float[][]> whiteningCorpus(
            TextEncoder enc, Set<Pooling> poolings, CompareResults.ModelResults r) throws IOException {
        if (cfg.whitening() == null || cfg.whitening().corpus() == null) {
            return null;
        }
        List<Document> docs = Corpus.read(cfg.whitening().corpus(), splitter(), Integer.MAX_VALUE);
        List<String> all = new ArrayList<>();
        docs.forEach(d -> all.addAll(d.sentences()));
        java.util.Collections.shuffle(all, new java.util.Random(cfg.seed()));
        List<String> sample = all.subList(0, Math.min(cfg.whitening().sentences(), all.size()));
        SampleSize.require(
                "whitening on " + cfg.whitening().corpus(),
                "sentences",
                sample.size(),
                Math.min(cfg.whitening().sentences(), 768));
        r.samples.put("whitening corpus sentences", sample.size());
        return enc.embed(sample, poolings, false, progress.start("whitening corpus", sample.size()));
    }

    private record RidgeProbes(Map<Pooling, RidgeProbe> byPooling) {}

    /** A ridge regressor per pooling on [u⊙v, |u−v|] of the STS train pairs. */
    private RidgeProbes stsProbes(TextEncoder enc, Set<Pooling> poolings, CompareResults.ModelResults r)
            throws IOException {
        if (cfg.stsProbe() == null) {
            return null;
        }
        StsFile train = StsEvaluation.read(cfg.stsProbe().train());
        List<StsPair> pairs = new ArrayList<>(train.pairs());
        java.util.Collections.shuffle(pairs, new java.util.Random(cfg.seed()));
        pairs = pairs.subList(0, Math.min(cfg.stsProbe().maxPairs(), pairs.size()));
        SampleSize.require("STS probe on " + cfg.stsProbe().train(), "pairs", pairs.size(), 200);
        r.samples.put("STS probe training pairs", pairs.size());
        r.stsProbeTrain = cfg.stsProbe().train().toString();
        Map<String, Integer> index = new LinkedHashMap<>();
        for (StsPair p : pairs) {
            index.putIfAbsent(p.sentence1(), index.size());
            index.putIfAbsent(p.sentence2(), index.size());
        }
        Map<Pooling, float[][]> v = enc.embed(
                new ArrayList<>(index.keySet()), poolings, false, progress.start("STS probe train", index.size()));
        double[] gold = pairs.stream().mapToDouble(StsPair::score).toArray();
        Map<Pooling, RidgeProbe> out = new LinkedHashMap<>();
        for (Pooling p : poolings) {
            float[][][] uv = sides(pairs, index, v.get(p));
            out.put(
                    p,
                    RidgeProbe.trainWithValidation(
                            RidgeProbe.pairFeatures(uv[0], uv[1]), gold, RIDGE_GRID, 0.2, cfg.seed()));
        }
        return new RidgeProbes(out);
    }

    private void stsFile(
            TextEncoder enc,
            Set<Pooling> poolings,
            Path file,
            Map<Pooling, float[][]> corpusVectors,
            RidgeProbes probes,
            CompareResults.ModelResults r)
            throws IOException {
        StsFile sts = StsEvaluation.read(file);
        Map<String, Integer> index = new LinkedHashMap<>();
        for (StsPair p : sts.pairs()) {
            index.putIfAbsent(p.sentence1(), index.size());
            index.putIfAbsent(p.sentence2(), index.size());
        }
        Map<Pooling, float[][]> v = enc.embed(
                new ArrayList<>(index.keySet()),
                poolings,
                false,
                progress.start(file.getFileName().toString(), index.size()));
        StsEvaluation.FileResult raw = StsEvaluation.score(file.toString(), sts, index, v);
        double[] gold = sts.pairs().stream().mapToDouble(StsPair::score).toArray();
        Map<String, Map<String, Double>> scores = new LinkedHashMap<>();
        for (Pooling p : poolings) {
            Map<String, Double> s = new LinkedHashMap<>();
            s.put("raw", raw.spearman().get(p.id()));
            for (int k : cfg.whitening() == null
                    ? List.of(WHITEN_ALL)
                    : cfg.whitening().dims()) {
                s.put(
                        label("whitened (self", k),
                        cosineSpearman(Whitening.fit(v.get(p), k).apply(v.get(p)), sts, index, gold));
                if (corpusVectors != null) {
                    s.put(
                            label("whitened (corpus", k),
                            cosineSpearman(
                                    Whitening.fit(corpusVectors.get(p), k).apply(v.get(p)), sts, index, gold));
                }
            }
            if (probes != null) {
                float[][][] uv = sides(sts.pairs(), index, v.get(p));
                double[] pred = probes.byPooling().get(p).predict(RidgeProbe.pairFeatures(uv[0], uv[1]));
                s.put("probe", 100 * Spearman.correlation(pred, gold));
            }
            scores.put(p.id(), s);
        }
        r.sts.put(file.toString(), scores);
        r.samples.put("pairs in " + file, sts.pairs().size());
        // Cosine distributions of clearly similar (gold >= 4) and clearly dissimilar (gold <= 1) pairs.
        if (r.cosines.isEmpty()) {
            for (Pooling p : poolings) {
                List<Double> similar = new ArrayList<>();
                List<Double> dissimilar = new ArrayList<>();
                for (StsPair pair : sts.pairs()) {
                    double c = org.taskbert.spi.eval.Cosine.cosine(
                            v.get(p)[index.get(pair.sentence1())], v.get(p)[index.get(pair.sentence2())]);
                    if (pair.score() >= 4) {
                        similar.add(c);
                    } else if (pair.score() <= 1) {
                        dissimilar.add(c);
                    }
                }
                r.cosines.put(
                        p.id(),
                        Map.of(
                                "similar",
                                similar.stream()
                                        .mapToDouble(Double::doubleValue)
                                        .toArray(),
                                "dissimilar",
                                dissimilar.stream()
                                        .mapToDouble(Double::doubleValue)
                                        .toArray()));
            }
            r.cosineFile = file.toString();
        }
    }

    private static String label(String what, int k) {
        return what + (k == WHITEN_ALL ? ")" : ", k=" + k + ")");
    }

    private static double cosineSpearman(float[][] v, StsFile sts, Map<String, Integer> index, double[] gold) {
        double[] cos = sts.pairs().stream()
                .mapToDouble(p ->
                        org.taskbert.spi.eval.Cosine.cosine(v[index.get(p.sentence1())], v[index.get(p.sentence2())]))
                .toArray();
        return 100 * Spearman.correlation(cos, gold);
    }

    private static float[][][] sides(List<StsPair> pairs, Map<String, Integer> index, float[][] v) {
        float[][] u = new float[pairs.size()][];
        float[][] w = new float[pairs.size()][];
        for (int i = 0; i < pairs.size(); i++) {
            u[i] = v[index.get(pairs.get(i).sentence1())];
            w[i] = v[index.get(pairs.get(i).sentence2())];
        }
        return new float[][][] {u, w};
    }

    /**
     * NSP probe on jointly encoded pairs, topic probe on single sentences (when the corpus has topic labels);
     * documents split train/test.
     */
    private void corpusProbes(TextEncoder enc, Set<Pooling> poolings, CompareResults.ModelResults r)
            throws IOException {
        CompareConfig.CorpusProbes c = cfg.corpus();
        List<Document> docs = Corpus.read(c.file(), splitter(), Integer.MAX_VALUE);
        DocumentSplit split = TopicSentences.splitByDocument(docs, c.testFraction(), cfg.seed());
        int nTrain = (int) Math.round(c.nspPairs() * (1 - c.testFraction()));
        List<SentencePair> nspTrain = NextSentencePairs.sample(split.train(), nTrain, cfg.seed());
        List<SentencePair> nspTest = NextSentencePairs.sample(split.test(), c.nspPairs() - nTrain, cfg.seed() + 1);
        SampleSize.require("NSP probe training", "pairs", nspTrain.size(), c.minSamples());
        SampleSize.require("NSP probe test", "pairs", nspTest.size(), c.minSamples() / 2);
        Map<Pooling, float[][]> trainV = enc.embedPairs(
                nspTrain.stream().map(SentencePair::a).toList(),
                nspTrain.stream().map(SentencePair::b).toList(),
                poolings,
                progress.start("NSP train", nspTrain.size()));
        Map<Pooling, float[][]> testV = enc.embedPairs(
                nspTest.stream().map(SentencePair::a).toList(),
                nspTest.stream().map(SentencePair::b).toList(),
                poolings,
                progress.start("NSP test", nspTest.size()));
        int[] yTrain = nspTrain.stream().mapToInt(p -> p.isNext() ? 1 : 0).toArray();
        int[] yTest = nspTest.stream().mapToInt(p -> p.isNext() ? 1 : 0).toArray();
        for (Pooling p : poolings) {
            LogisticProbe probe = LogisticProbe.trainWithValidation(trainV.get(p), yTrain, 2, L2_GRID, 0.2, cfg.seed());
            r.nsp.put(p.id(), probe.accuracy(testV.get(p), yTest));
        }
        r.samples.put("NSP probe pairs (train / test, split by document)", List.of(nspTrain.size(), nspTest.size()));

        if (docs.stream().allMatch(d -> d.label() == null)) {
            r.samples.put("topic probe: not run, the corpus has no topic labels", List.of());
            return;
        }
        int tTrain = (int) Math.round(c.topicSentences() * (1 - c.testFraction()));
        List<LabelledSentence> topicTrain = TopicSentences.sample(split.train(), tTrain, cfg.seed(), false);
        List<LabelledSentence> topicTest =
                TopicSentences.sample(split.test(), c.topicSentences() - tTrain, cfg.seed() + 1, true);
        SampleSize.require("topic probe training", "labelled sentences", topicTrain.size(), c.minSamples());
        SampleSize.require("topic probe test", "labelled sentences", topicTest.size(), c.minSamples() / 2);
        List<String> labels = topicTrain.stream()
                .map(LabelledSentence::label)
                .distinct()
                .sorted()
                .toList();
        Map<Pooling, float[][]> ttV = enc.embed(
                topicTrain.stream().map(LabelledSentence::text).toList(),
                poolings,
                false,
                progress.start("topic train", topicTrain.size()));
        Map<Pooling, float[][]> teV = enc.embed(
                topicTest.stream().map(LabelledSentence::text).toList(),
                poolings,
                false,
                progress.start("topic test", topicTest.size()));
        int[] ytr = topicTrain.stream().mapToInt(s -> labels.indexOf(s.label())).toArray();
        int[] yte = topicTest.stream().mapToInt(s -> labels.indexOf(s.label())).toArray();
        for (int y : yte) {
            if (y < 0) {
                throw new IllegalArgumentException("a test topic label never occurs in training; labels: " + labels);
            }
        }
        for (Pooling p : poolings) {
            LogisticProbe probe =
                    LogisticProbe.trainWithValidation(ttV.get(p), ytr, labels.size(), L2_GRID, 0.2, cfg.seed());
            r.topic.put(p.id(), probe.accuracy(teV.get(p), yte));
        }
        r.topicLabels = labels;
        r.samples.put(
                "topic probe sentences (train / test, split by document)",
                List.of(topicTrain.size(), topicTest.size()));
    }
}
