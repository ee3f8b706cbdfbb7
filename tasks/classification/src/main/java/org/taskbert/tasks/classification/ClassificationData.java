package org.taskbert.tasks.classification;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.stream.IntStream;
import org.taskbert.spi.BatchSource;
import org.taskbert.spi.config.ConfigException;
import org.taskbert.spi.data.InputFormatException;

/**
 * The examples of a classification task, split into train, dev and (optionally) test, and its classes. Public so
 * that other studies (e.g. linear probes on generic embeddings) can use exactly the same split.
 *
 * <p>The split of a corpus, by document: documents are grouped with their exact copies (a document and those whose
 * {@code duplicate_of} names it). Per label (the group's first copy's), the groups' ids are sorted, shuffled with
 * {@code java.util.Random(seed)} (labels taken in sorted order, one generator), and the first round(test·n) go to
 * test, the next round(dev·n) to dev, the rest to train; at least one group of every label stays in train. A group
 * goes whole to one part, so no copy of a dev or test document is trained on; the copies themselves (marked
 * {@code duplicate_of}) are then dropped from dev and test, which count each document once.
 *
 * @param labels the classes, in the order of the head's outputs
 * @param droppedDuplicates copies dropped from dev and test
 * @param sampledFrom the training examples before {@code max_examples} sampled them (train's size if it did not)
 */
public record ClassificationData(
        List<String> labels,
        List<LabelledText> train,
        List<LabelledText> dev,
        List<LabelledText> test,
        int droppedDuplicates,
        int sampledFrom) {

    /** The parts of a split, copies included. */
    public record Parts(List<LabelledText> train, List<LabelledText> dev, List<LabelledText> test) {}

    public ClassificationData {
        labels = List.copyOf(labels);
        train = List.copyOf(train);
        dev = List.copyOf(dev);
        test = List.copyOf(test);
    }

    /** The data a config names, checked: every label of dev and test is a class, every class has training examples. */
    public static ClassificationData load(ClassificationConfig cfg) throws IOException {
        LabelledText.Fields fields =
                new LabelledText.Fields(cfg.textField(), cfg.textPairField(), cfg.titleField(), cfg.labelField());
        List<LabelledText> train;
        List<LabelledText> dev;
        List<LabelledText> test;
        int dropped = 0;
        if (cfg.corpus() != null) {
            ClassificationConfig.Split s = cfg.corpusSplit();
            List<LabelledText> docs = LabelledText.read(cfg.corpus(), fields, true);
            Parts parts = s.byIdHash()
                    ? splitByIdHash(docs, s.dev(), s.test(), s.seed())
                    : splitByDocument(docs, s.dev(), s.test(), s.seed());
            train = parts.train();
            dev = parts.dev().stream().filter(e -> !e.isDuplicate()).toList();
            test = parts.test().stream().filter(e -> !e.isDuplicate()).toList();
            dropped = parts.dev().size() + parts.test().size() - dev.size() - test.size();
        } else {
            train = LabelledText.read(cfg.train(), fields, false);
            dev = LabelledText.read(cfg.dev(), fields, false);
            test = cfg.test() == null ? List.of() : LabelledText.read(cfg.test(), fields, false);
        }
        if (train.isEmpty() || dev.isEmpty()) {
            throw new ConfigException(
                    "field '" + (cfg.corpus() != null ? "task.corpus" : train.isEmpty() ? "task.train" : "task.dev")
                            + "': no " + (train.isEmpty() ? "training" : "dev") + " examples in "
                            + (cfg.corpus() != null ? cfg.corpus() : train.isEmpty() ? cfg.train() : cfg.dev()));
        }
        int all = train.size();
        if (cfg.maxExamples() != null && train.size() > cfg.maxExamples()) {
            train = sample(train, cfg.maxExamples(), cfg.corpusSplit().seed());
        }
        List<String> labels = classes(cfg.labels(), train, dev, test, all);
        return new ClassificationData(labels, train, dev, test, dropped, all);
    }

    /**
     * Splits documents as the class comment says; each part keeps the input order. Not {@code Splits.stratified}:
     * this split has three parts, moves groups of copies, and draws from one {@code java.util.Random} across the
     * labels, which fixes the published splits (configs/classification-bbc.yaml, BENCHMARKS.md) for each seed.
     */
    public static Parts splitByDocument(List<LabelledText> docs, double devFraction, double testFraction, long seed) {
        Map<String, String> groupOf = groups(docs);
        Map<String, LabelledText> byId = new HashMap<>();
        docs.forEach(d -> byId.put(d.id(), d));
        Map<String, Set<String>> groupsByLabel = new TreeMap<>();
        for (LabelledText d : docs) {
            LabelledText first = byId.get(groupOf.get(d.id()));
            groupsByLabel.computeIfAbsent(first.label(), k -> new TreeSet<>()).add(first.id());
        }
        Random random = new Random(seed);
        Map<String, Integer> partOfGroup = new HashMap<>(); // 0 train, 1 dev, 2 test
        for (Set<String> groups : groupsByLabel.values()) {
            List<String> keys = new ArrayList<>(groups);
            Collections.shuffle(keys, random);
            int n = keys.size();
            int nTest = (int) Math.min(Math.round(testFraction * n), n - 1);
            int nDev = (int) Math.min(Math.round(devFraction * n), n - 1 - nTest);
            for (int i = 0; i < n; i++) {
                partOfGroup.put(keys.get(i), i < nTest ? 2 : i < nTest + nDev ? 1 : 0);
            }
        }
        List<List<LabelledText>> parts = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        docs.forEach(d -> parts.get(partOfGroup.get(groupOf.get(d.id()))).add(d));
        return new Parts(parts.get(0), parts.get(1), parts.get(2));
    }

    /** Each example's group: the id of its first copy, following {@code duplicate_of}; fails on a dangling one. */
    private static Map<String, String> groups(List<LabelledText> docs) {
        Map<String, LabelledText> byId = new HashMap<>();
        docs.forEach(d -> byId.put(d.id(), d));
        Map<String, String> groupOf = new HashMap<>();
        for (LabelledText d : docs) {
            LabelledText first = d;
            Set<String> seen = new HashSet<>();
            while (first.isDuplicate() && seen.add(first.id())) {
                first = byId.get(first.duplicateOf());
                if (first == null) {
                    throw new InputFormatException(
                            d.file(),
                            d.line(),
                            -1,
                            "duplicate_of",
                            "duplicate_of '" + d.duplicateOf() + "' names no document of the file");
                }
            }
            groupOf.put(d.id(), first.id());
        }
        return groupOf;
    }

    /**
     * Splits by a seeded hash of each example's group (the id of its first copy, so copies stay together): the first 8
     * bytes of SHA-256 of {@code seed + ":" + id}, read as a fraction u in [0, 1), send it to test when u is under
     * {@code testFraction}, to dev when under {@code testFraction + devFraction}, else to train. An example's part
     * depends on its id and the seed alone; the parts' sizes are the fractions only on average. Each part keeps the
     * input order.
     */
    public static Parts splitByIdHash(List<LabelledText> docs, double devFraction, double testFraction, long seed) {
        Map<String, String> groupOf = groups(docs);
        List<List<LabelledText>> parts = List.of(new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
        for (LabelledText d : docs) {
            double u = hashFraction(seed, groupOf.get(d.id()));
            parts.get(u < testFraction ? 2 : u < testFraction + devFraction ? 1 : 0)
                    .add(d);
        }
        return new Parts(parts.get(0), parts.get(1), parts.get(2));
    }

    /** The first 8 bytes of SHA-256 of {@code seed:id} as a fraction in [0, 1). */
    static double hashFraction(long seed, String id) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest((seed + ":" + id).getBytes(StandardCharsets.UTF_8));
            return (ByteBuffer.wrap(h).getLong() >>> 11) * 0x1.0p-53;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JVM lacks SHA-256", e);
        }
    }

    /** {@code n} of the examples, the first of a {@link BatchSource#shuffle} seeded {@code seed}, in input order. */
    static List<LabelledText> sample(List<LabelledText> examples, int n, long seed) {
        List<Integer> idx = IntStream.range(0, examples.size()).boxed().toList();
        return BatchSource.shuffle(idx, seed, 0).subList(0, n).stream()
                .sorted()
                .map(examples::get)
                .toList();
    }

    /** The listed classes, or the training labels sorted; fails naming a label or class that does not fit. */
    static List<String> classes(
            List<String> listed,
            List<LabelledText> train,
            List<LabelledText> dev,
            List<LabelledText> test,
            int trainBeforeSampling) {
        Set<String> trained = new TreeSet<>();
        train.forEach(e -> trained.add(e.label()));
        String source = train.isEmpty() ? "the training data" : trainSource(train, trainBeforeSampling);
        if (listed != null) {
            for (List<LabelledText> part : List.of(train, dev, test)) {
                for (LabelledText e : part) {
                    if (!listed.contains(e.label())) {
                        throw new InputFormatException(
                                e.file(),
                                e.line(),
                                -1,
                                "label",
                                "label '" + e.label() + "' is not among task.labels " + listed);
                    }
                }
            }
            for (String c : listed) {
                if (!trained.contains(c)) {
                    throw new ConfigException(
                            "field 'task.labels': class '" + c + "' has no training examples in " + source);
                }
            }
            return listed;
        }
        Map<String, LabelledText> unseen = new LinkedHashMap<>();
        for (List<LabelledText> part : List.of(dev, test)) {
            for (LabelledText e : part) {
                if (!trained.contains(e.label())) {
                    unseen.putIfAbsent(e.label(), e);
                }
            }
        }
        if (!unseen.isEmpty()) {
            LabelledText first = unseen.values().iterator().next();
            List<String> all = unseen.values().stream()
                    .map(e -> "'" + e.label() + "' (first at " + e.where() + ")")
                    .toList();
            throw new InputFormatException(
                    first.file(),
                    first.line(),
                    -1,
                    "label",
                    "label '" + first.label()
                            + "' never occurs in " + source + "; its classes are " + trained
                            + ". Labels of dev/test that"
                            + " training never saw: " + String.join(", ", all));
        }
        if (trained.size() < 2) {
            throw new ConfigException(
                    source + " has " + trained.size() + " class(es) " + trained + "; classification needs at least 2");
        }
        return List.copyOf(trained);
    }

    private static String trainSource(List<LabelledText> train, int before) {
        Set<Path> files = new TreeSet<>();
        train.forEach(e -> files.add(e.file()));
        String s = "the training examples of "
                + String.join(", ", files.stream().map(Path::toString).toList());
        return before > train.size() ? s + " (task.max_examples kept " + train.size() + " of " + before + ")" : s;
    }

    /** One line per part, with its count per class; and the copies dropped from dev and test. */
    public String describe() {
        StringBuilder sb = new StringBuilder();
        String[] names = {"train", "dev", "test"};
        List<List<LabelledText>> parts = List.of(train, dev, test);
        for (int p = 0; p < 3; p++) {
            if (p == 2 && test.isEmpty()) {
                break;
            }
            int[] counts = counts(parts.get(p));
            sb.append(String.format("%-5s %5d:", names[p], parts.get(p).size()));
            for (int c = 0; c < counts.length; c++) {
                sb.append(' ').append(labels.get(c)).append(' ').append(counts[c]);
            }
            sb.append('\n');
        }
        sb.append("exact copies dropped from dev and test: ").append(droppedDuplicates);
        if (sampledFrom > train.size()) {
            sb.append("\nmax_examples kept ")
                    .append(train.size())
                    .append(" of ")
                    .append(sampledFrom)
                    .append(" training examples");
        }
        return sb.toString();
    }

    /** How many examples each class has in {@code part}, in class order. */
    public int[] counts(List<LabelledText> part) {
        int[] counts = new int[labels.size()];
        part.forEach(e -> counts[labels.indexOf(e.label())]++);
        return counts;
    }
}
