package org.taskbert.compare;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.taskbert.report.Charts;
import org.taskbert.report.Report;

/**
 * Renders {@link CompareResults} as report.md and report.html: tables, charts, and a verdict whose
 * every sentence is computed from the measured numbers (a difference within the noise of its sample
 * is called a tie, never a win).
 */
public final class CompareReport {

    /** The report folder's files beside the charts: {@code results.json} is the command's, the others the report's. */
    public static final Set<String> FILES = Set.of("report.md", "report.html", "results.json");

    /** The charts' names, as {@link Report} allows them. */
    public static final Pattern CHART = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*\\.png");

    private CompareReport() {}

    /** Whether {@code dir} holds a {@code results.json} that reads as {@link CompareResults}. */
    public static boolean isReport(Path dir) {
        try {
            CompareResults results =
                    new ObjectMapper().readValue(dir.resolve("results.json").toFile(), CompareResults.class);
            return results != null && results.config != null;
        } catch (IOException e) {
            return false;
        }
    }

    public static void write(CompareResults results, Path dir) throws IOException {
        Report rep = new Report();
        rep.heading(1, "Is the first token a good sentence vector?");
        rep.paragraph(String.format(
                Locale.ROOT,
                "Config `%s`, seed %d, %.0f s in all. Spearman figures are ×100, "
                        + "between the cosine of the two sentences' vectors and the gold score.",
                results.config,
                results.seed,
                results.seconds));
        for (CompareResults.ModelResults m : results.models) {
            model(rep, m);
        }
        if (!results.tasks.isEmpty()) {
            TaskComparisonReport.write(rep, results.tasks);
        }
        rep.write(dir);
    }

    private static void model(Report rep, CompareResults.ModelResults m) {
        String slug = "model-" + Path.of(m.model).getFileName().toString().replaceAll("[^A-Za-z0-9._-]", "_");
        rep.heading(2, "Model " + m.model);
        rep.heading(3, "Verdict");
        rep.paragraph(String.join("\n", verdict(m)));
        List<String> details = details(m);
        if (!details.isEmpty()) {
            rep.heading(3, "Details");
            rep.paragraph(String.join("\n", details));
        }

        rep.heading(3, "1–3. Geometry by cosine, repaired by whitening, and information by probe");
        rep.paragraph("Whitening: subtract the mean, rotate and scale by the inverse square root of the covariance"
                + " (from its eigendecomposition, which for a covariance is its SVD); *self* fits it on the evaluated sentences, *corpus* on unlabelled corpus sentences;"
                + " k keeps the first k dimensions. Probe: a ridge regressor on [u⊙v, |u−v|] trained on "
                + (m.stsProbeTrain == null ? "STS-B train pairs" : "pairs of " + m.stsProbeTrain)
                + ", scored by Spearman on each file. If cosine is poor but the probe is good, the information"
                + " is there and the geometry is wrong.");
        int fileNo = 0;
        for (Map.Entry<String, Map<String, Map<String, Double>>> f : m.sts.entrySet()) {
            fileNo++;
            List<String> columns =
                    new ArrayList<>(f.getValue().values().iterator().next().keySet());
            List<String> header = new ArrayList<>(List.of("pooling"));
            header.addAll(columns);
            List<List<String>> rows = new ArrayList<>();
            for (Map.Entry<String, Map<String, Double>> p : f.getValue().entrySet()) {
                List<String> row = new ArrayList<>(List.of(p.getKey()));
                columns.forEach(c -> row.add(fmt(p.getValue().get(c))));
                rows.add(row);
            }
            rep.paragraph("**" + f.getKey() + "** (" + m.samples.get("pairs in " + f.getKey()) + " pairs)");
            rep.table(header, rows);
            LinkedHashMap<String, double[]> series = new LinkedHashMap<>();
            List<String> poolings = new ArrayList<>(f.getValue().keySet());
            for (String c : columns) {
                series.put(
                        c,
                        poolings.stream()
                                .mapToDouble(p -> f.getValue().get(p).get(c))
                                .toArray());
            }
            rep.image(
                    slug + "-sts-" + fileNo + ".png",
                    "Spearman ×100 per pooling on " + f.getKey(),
                    Charts.groupedBars(
                            "Spearman x100: " + Path.of(f.getKey()).getFileName(), "Spearman x100", poolings, series));
        }

        if (!m.nsp.isEmpty()) {
            rep.heading(3, "4. What the pooler knows: next sentence against topic");
            rep.paragraph("NSP probe: pairs drawn as BERT's pre-training did (the true next sentence half the time,"
                    + " a random sentence from another document otherwise), encoded jointly as [CLS] A [SEP] B [SEP];"
                    + " a logistic probe on each pooling predicts is-next. "
                    + (m.topic.isEmpty()
                            ? "Topic probe: not run, the corpus has no topic labels. Train and test documents are"
                                    + " disjoint. Chance: 50%."
                            : "Topic probe: single sentences encoded alone; a logistic probe predicts the document's"
                                    + " topic (" + String.join(", ", m.topicLabels) + "). Train and test documents"
                                    + " are disjoint. Chance: 50% for NSP, about "
                                    + Math.round(100.0 / Math.max(1, m.topicLabels.size())) + "% for topic."));
            List<List<String>> rows = new ArrayList<>();
            for (String p : m.nsp.keySet()) {
                rows.add(
                        m.topic.isEmpty()
                                ? List.of(p, pct(m.nsp.get(p)))
                                : List.of(p, pct(m.nsp.get(p)), pct(m.topic.get(p))));
            }
            rep.table(
                    m.topic.isEmpty()
                            ? List.of("pooling", "NSP probe accuracy")
                            : List.of("pooling", "NSP probe accuracy", "topic probe accuracy"),
                    rows);
            LinkedHashMap<String, double[]> series = new LinkedHashMap<>();
            List<String> poolings = new ArrayList<>(m.nsp.keySet());
            series.put(
                    "NSP",
                    poolings.stream().mapToDouble(p -> 100 * m.nsp.get(p)).toArray());
            if (!m.topic.isEmpty()) {
                series.put(
                        "topic",
                        poolings.stream()
                                .mapToDouble(p -> 100 * m.topic.getOrDefault(p, Double.NaN))
                                .toArray());
            }
            rep.image(
                    slug + "-probes.png",
                    "Held-out probe accuracy (%) per pooling",
                    Charts.groupedBars("Probe accuracy (%)", "accuracy %", poolings, series));
        }

        if (!m.anisotropy.isEmpty() || !m.cosines.isEmpty()) {
            rep.heading(3, "5. Anisotropy");
            if (!m.anisotropy.isEmpty()) {
                rep.paragraph("Mean cosine between random unrelated corpus sentences: near 1 means every vector points"
                        + " the same way, and raw cosine can only use a narrow band.");
                List<List<String>> rows = new ArrayList<>();
                m.anisotropy.forEach((p, v) -> rows.add(List.of(p, fmt3(v))));
                rep.table(List.of("pooling", "mean cosine, random pairs"), rows);
            }
            for (Map.Entry<String, Map<String, double[]>> e : m.cosines.entrySet()) {
                LinkedHashMap<String, double[]> samples = new LinkedHashMap<>();
                samples.put("gold >= 4 (similar)", e.getValue().get("similar"));
                samples.put("gold <= 1 (dissimilar)", e.getValue().get("dissimilar"));
                rep.image(
                        slug + "-cosines-" + e.getKey() + ".png",
                        "Cosines of similar and dissimilar pairs, " + e.getKey() + ", on " + m.cosineFile,
                        Charts.histograms("Cosine, " + e.getKey(), "cosine", samples, -0.2, 1.0, 48));
            }
        }
        rep.heading(3, "Samples");
        List<List<String>> rows = new ArrayList<>();
        m.samples.forEach((k, v) -> rows.add(List.of(k, sampleText(v))));
        rep.table(List.of("what", "n"), rows);
    }

    /** The short answer: at most six markdown list items, each with its number; {@link #details} has the rest. */
    static List<String> verdict(CompareResults.ModelResults m) {
        List<String> out = new ArrayList<>();
        if (!m.sts.isEmpty()) {
            List<String> files = new ArrayList<>(m.sts.keySet());
            out.add(rawCosine(m, files));
            String best = recommendation(m, files);
            if (best != null) {
                out.add(best);
            }
            String geometry = geometry(m, files.get(0));
            if (geometry != null) {
                out.add(geometry);
            }
        }
        if (!m.nsp.isEmpty() && m.nsp.containsKey("pooler") && m.nsp.containsKey("mean") && m.topic.isEmpty()) {
            int nNsp = testSize(m, "NSP");
            out.add(String.format(
                    Locale.ROOT,
                    "- **The note's suspicion, half tested**: `pooler` is %s `mean` on next-sentence prediction (%s vs"
                            + " %s, %d test pairs); the corpus has no topic labels for the other half.",
                    compare(m.nsp.get("pooler") - m.nsp.get("mean"), m.nsp.get("mean"), nNsp),
                    pct(m.nsp.get("pooler")),
                    pct(m.nsp.get("mean")),
                    nNsp));
        }
        if (!m.nsp.isEmpty() && m.nsp.containsKey("pooler") && m.nsp.containsKey("mean") && !m.topic.isEmpty()) {
            int nNsp = testSize(m, "NSP");
            int nTopic = testSize(m, "topic");
            String nspCmp = compare(m.nsp.get("pooler") - m.nsp.get("mean"), m.nsp.get("mean"), nNsp);
            String topicCmp = compare(m.topic.get("pooler") - m.topic.get("mean"), m.topic.get("mean"), nTopic);
            boolean holds = !nspCmp.equals("worse than") && topicCmp.equals("worse than");
            out.add(String.format(
                    Locale.ROOT,
                    "- **The note's suspicion %s**: `pooler` is %s `mean` on next-sentence prediction (%s vs %s, %d"
                            + " test pairs) and %s it on topic (%s vs %s, %d test sentences).",
                    holds ? "holds" : "is not supported",
                    nspCmp,
                    pct(m.nsp.get("pooler")),
                    pct(m.nsp.get("mean")),
                    nNsp,
                    topicCmp,
                    pct(m.topic.get("pooler")),
                    pct(m.topic.get("mean")),
                    nTopic));
            String bestTopic = m.topic.entrySet().stream()
                    .max(Map.Entry.comparingByValue())
                    .orElseThrow()
                    .getKey();
            out.add(String.format(
                    Locale.ROOT,
                    "- **For topic classification** with a linear model, use `%s` (%s held-out accuracy).",
                    bestTopic,
                    pct(m.topic.get(bestTopic))));
        }
        if (!m.anisotropy.isEmpty()) {
            String most = m.anisotropy.entrySet().stream()
                    .max(Map.Entry.comparingByValue())
                    .orElseThrow()
                    .getKey();
            out.add(String.format(
                    Locale.ROOT,
                    "- **Anisotropy:** random unrelated sentences have mean cosine %.2f under `%s`, the narrowest band"
                            + " of raw cosines here.",
                    m.anisotropy.get(most),
                    most));
        }
        return out;
    }

    /** The best and worst raw pooling, per file, in one line: {@code best `a` (f1 68.17, f2 66.05); worst ...}. */
    private static String rawCosine(CompareResults.ModelResults m, List<String> files) {
        Map<String, List<String>> best = new LinkedHashMap<>();
        Map<String, List<String>> worst = new LinkedHashMap<>();
        for (String file : files) {
            Map<String, Map<String, Double>> s = m.sts.get(file);
            List<String> byRaw = new ArrayList<>(s.keySet());
            byRaw.sort(Comparator.comparingDouble(p -> -s.get(p).get("raw")));
            String b = byRaw.get(0);
            String w = byRaw.get(byRaw.size() - 1);
            best.computeIfAbsent(b, k -> new ArrayList<>())
                    .add(String.format(
                            Locale.ROOT, "%s %.2f", name(file), s.get(b).get("raw")));
            worst.computeIfAbsent(w, k -> new ArrayList<>())
                    .add(String.format(
                            Locale.ROOT, "%s %.2f", name(file), s.get(w).get("raw")));
        }
        return "- **Similarity by raw cosine:** best " + byPooling(best) + "; worst " + byPooling(worst) + ".";
    }

    private static String byPooling(Map<String, List<String>> figures) {
        List<String> parts = new ArrayList<>();
        figures.forEach((p, f) -> parts.add("`" + p + "` (" + String.join(", ", f) + ")"));
        return String.join(", ", parts);
    }

    /** [CLS] and the pooler, raw against whitened and probed, on the first file: geometry or content. */
    private static String geometry(CompareResults.ModelResults m, String file) {
        Map<String, Map<String, Double>> s = m.sts.get(file);
        List<String> lifts = new ArrayList<>();
        List<String> probes = new ArrayList<>();
        for (String p : List.of("cls", "pooler")) {
            Map<String, Double> row = s.get(p);
            String col = row == null ? null : bestColumn(row, "whitened (self");
            if (col != null && row.get(col) - row.get("raw") >= 5) {
                lifts.add(String.format(Locale.ROOT, "`%s` %.2f → %.2f", p, row.get("raw"), row.get(col)));
                if (row.get("probe") != null) {
                    probes.add(String.format(Locale.ROOT, "%.2f", row.get("probe")));
                }
            }
        }
        if (lifts.isEmpty()) {
            return null;
        }
        return String.format(
                Locale.ROOT,
                "- **Geometry, not content, holds the first token back:** whitening on the evaluated sentences lifts %s"
                        + " on %s%s.",
                String.join(" and ", lifts),
                name(file),
                probes.size() == lifts.size()
                        ? "; a probe on the same vectors reaches " + String.join(" and ", probes)
                        : "");
    }

    /** The evidence behind the verdict, per pooling and whitening fit. */
    static List<String> details(CompareResults.ModelResults m) {
        List<String> out = new ArrayList<>();
        if (m.sts.isEmpty()) {
            return out;
        }
        List<String> files = new ArrayList<>(m.sts.keySet());
        Map<String, Map<String, Double>> first = m.sts.get(files.get(0));
        for (String p : first.keySet()) {
            for (String fit : List.of("self", "corpus")) {
                String col = bestColumn(first.get(p), "whitened (" + fit);
                if (col != null && first.get(p).get(col) - first.get(p).get("raw") >= 5) {
                    List<String> parts = new ArrayList<>();
                    for (String f : files) {
                        Map<String, Double> row = m.sts.get(f).get(p);
                        parts.add(String.format(
                                Locale.ROOT, "%s %.2f → %.2f (%s)", name(f), row.get("raw"), row.get(col), col));
                    }
                    out.add(String.format(
                            Locale.ROOT,
                            "- Whitening fitted on %s changes `%s`: %s.",
                            fit.equals("self") ? "the evaluated sentences" : "corpus sentences",
                            p,
                            String.join("; ", parts)));
                }
            }
            Double probe = first.get(p).get("probe");
            if (probe != null && probe - first.get(p).get("raw") >= 10) {
                out.add(String.format(
                        Locale.ROOT,
                        "- The probe on `%s` reaches %.2f against %.2f by cosine on %s.",
                        p,
                        probe,
                        first.get(p).get("raw"),
                        name(files.get(0))));
            }
        }
        if (!out.isEmpty()) {
            out.add("- Where whitening or the probe gains, the information was in the vector and its covariance"
                    + " (geometry) held raw cosine back.");
        }
        return out;
    }

    /** The unsupervised option (pooling, raw or whitened) with the best mean Spearman over the files. */
    private static String recommendation(CompareResults.ModelResults m, List<String> files) {
        Map<String, Map<String, Double>> first = m.sts.get(files.get(0));
        String bestP = null;
        String bestC = null;
        double bestMean = Double.NEGATIVE_INFINITY;
        for (String p : first.keySet()) {
            for (String c : first.get(p).keySet()) {
                if (c.equals("probe")) {
                    continue;
                }
                double mean = files.stream()
                        .mapToDouble(f -> m.sts.get(f).get(p).get(c))
                        .average()
                        .orElse(Double.NaN);
                if (mean > bestMean) {
                    bestMean = mean;
                    bestP = p;
                    bestC = c;
                }
            }
        }
        if (bestC.equals("raw")) {
            return null; // the raw line already says it
        }
        StringBuilder sb = new StringBuilder(String.format(
                Locale.ROOT,
                "- **For similarity without training**, `%s` %s has the best mean over the files (%.2f)",
                bestP,
                bestC,
                bestMean));
        if (bestC.startsWith("whitened (self")) {
            sb.append(", fitted on the evaluated sentences (it needs them in advance)");
        }
        List<String> losses = new ArrayList<>();
        for (String f : files) {
            Map<String, Map<String, Double>> s = m.sts.get(f);
            String rawBest = s.keySet().stream()
                    .max(Comparator.comparingDouble(p -> s.get(p).get("raw")))
                    .orElseThrow();
            double v = s.get(bestP).get(bestC);
            if (v < s.get(rawBest).get("raw")) {
                losses.add(String.format(
                        Locale.ROOT,
                        "on %s it scores %.2f, below raw `%s` (%.2f)",
                        name(f),
                        v,
                        rawBest,
                        s.get(rawBest).get("raw")));
            }
        }
        sb.append(
                losses.isEmpty()
                        ? "; it beats the best raw pooling on every file."
                        : "; but " + String.join(", ", losses) + ", so no single choice wins on every file.");
        return sb.toString();
    }

    private static String bestColumn(Map<String, Double> row, String prefix) {
        return row.entrySet().stream()
                .filter(e -> e.getKey().startsWith(prefix))
                .max(Map.Entry.comparingByValue())
                .map(Map.Entry::getKey)
                .orElse(null);
    }

    private static String name(String file) {
        return org.taskbert.spi.eval.StsEvaluation.shortName(file);
    }

    /** "better than", "worse than" or "level with", by a two-standard-error margin for accuracies on n samples. */
    private static String compare(double diff, double base, int n) {
        double se = Math.sqrt(2 * base * (1 - base) / Math.max(1, n));
        return Math.abs(diff) <= 2 * se ? "level with (within noise)" : diff > 0 ? "better than" : "worse than";
    }

    /** The test part of a {train, test} sample size. */
    private static int testSize(CompareResults.ModelResults m, String prefix) {
        for (Map.Entry<String, Object> e : m.samples.entrySet()) {
            if (e.getKey().startsWith(prefix) && e.getValue() instanceof List<?> parts && parts.size() == 2) {
                return ((Number) parts.get(1)).intValue();
            }
            // results.json before session 6 kept them as text, "1120 / 480"
            if (e.getKey().startsWith(prefix) && e.getValue() instanceof String text && text.matches("\\d+ / \\d+")) {
                return Integer.parseInt(text.substring(text.indexOf('/') + 1).trim());
            }
        }
        return 0;
    }

    /** A sample size as the table shows it: {@code 1200}, or {@code 800 / 400} for {train, test}. */
    private static String sampleText(Object v) {
        return v instanceof List<?> parts
                ? String.join(" / ", parts.stream().map(String::valueOf).toList())
                : String.valueOf(v);
    }

    private static String fmt(Double v) {
        return v == null ? "" : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String fmt3(Double v) {
        return v == null ? "" : String.format(Locale.ROOT, "%.3f", v);
    }

    private static String pct(Double v) {
        return v == null ? "" : String.format(Locale.ROOT, "%.1f%%", 100 * v);
    }
}
