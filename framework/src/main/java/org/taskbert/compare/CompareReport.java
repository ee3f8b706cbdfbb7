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

        rep.heading(3, "1–3. Geometry by cosine, repaired by whitening, and information by probe");
        rep.paragraph("Whitening: subtract the mean, rotate and scale by the inverse square root of the covariance"
                + " (from its eigendecomposition, which for a covariance is its SVD); *self* fits it on the evaluated sentences, *corpus* on unlabelled corpus sentences;"
                + " k keeps the first k dimensions. Probe: a ridge regressor on [u⊙v, |u−v|] trained on STS-B train"
                + " pairs, scored by Spearman on each file. If cosine is poor but the probe is good, the information"
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
                    + " a logistic probe on each pooling predicts is-next. Topic probe: single sentences encoded alone;"
                    + " a logistic probe predicts the document's topic (" + String.join(", ", m.topicLabels) + ")."
                    + " Train and test documents are disjoint. Chance: 50% for NSP, about "
                    + Math.round(100.0 / Math.max(1, m.topicLabels.size())) + "% for topic.");
            List<List<String>> rows = new ArrayList<>();
            for (String p : m.nsp.keySet()) {
                rows.add(List.of(p, pct(m.nsp.get(p)), pct(m.topic.get(p))));
            }
            rep.table(List.of("pooling", "NSP probe accuracy", "topic probe accuracy"), rows);
            LinkedHashMap<String, double[]> series = new LinkedHashMap<>();
            List<String> poolings = new ArrayList<>(m.nsp.keySet());
            series.put(
                    "NSP",
                    poolings.stream().mapToDouble(p -> 100 * m.nsp.get(p)).toArray());
            series.put(
                    "topic",
                    poolings.stream()
                            .mapToDouble(p -> 100 * m.topic.getOrDefault(p, Double.NaN))
                            .toArray());
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

    /** The conclusions the numbers support, one markdown list item each. */
    static List<String> verdict(CompareResults.ModelResults m) {
        List<String> out = new ArrayList<>();
        if (!m.sts.isEmpty()) {
            List<String> files = new ArrayList<>(m.sts.keySet());
            for (String file : files) {
                Map<String, Map<String, Double>> s = m.sts.get(file);
                List<String> byRaw = new ArrayList<>(s.keySet());
                byRaw.sort(Comparator.comparingDouble(p -> -s.get(p).get("raw")));
                out.add(String.format(
                        Locale.ROOT,
                        "- **Similarity by raw cosine** on %s: `%s` is best (%.2f), `%s`" + " worst (%.2f).",
                        name(file),
                        byRaw.get(0),
                        s.get(byRaw.get(0)).get("raw"),
                        byRaw.get(byRaw.size() - 1),
                        s.get(byRaw.get(byRaw.size() - 1)).get("raw")));
            }
            Map<String, Map<String, Double>> first = m.sts.get(files.get(0));
            for (String p : first.keySet()) {
                for (String fit : List.of("self", "corpus")) {
                    String col = bestColumn(first.get(p), "whitened (" + fit);
                    if (col != null && first.get(p).get(col) - first.get(p).get("raw") >= 5) {
                        StringBuilder sb = new StringBuilder(String.format(
                                Locale.ROOT,
                                "- Whitening fitted on %s" + " changes `%s`: ",
                                fit.equals("self") ? "the evaluated sentences" : "corpus sentences",
                                p));
                        for (String f : files) {
                            Map<String, Double> row = m.sts.get(f).get(p);
                            sb.append(String.format(
                                    Locale.ROOT, "%s %.2f → %.2f (%s); ", name(f), row.get("raw"), row.get(col), col));
                        }
                        out.add(sb.substring(0, sb.length() - 2) + ". Where it helps, the covariance (geometry), not"
                                + " the content, held the raw vector back.");
                    }
                }
                Double probe = first.get(p).get("probe");
                if (probe != null && probe - first.get(p).get("raw") >= 10) {
                    out.add(String.format(
                            Locale.ROOT,
                            "- The probe on `%s` reaches %.2f against %.2f by cosine on %s:"
                                    + " the information is there, the geometry is wrong for cosine.",
                            p,
                            probe,
                            first.get(p).get("raw"),
                            name(files.get(0))));
                }
            }
            out.add(recommendation(m, files));
        }
        if (!m.nsp.isEmpty() && m.nsp.containsKey("pooler") && m.nsp.containsKey("mean")) {
            int nNsp = testSize(m, "NSP");
            int nTopic = testSize(m, "topic");
            double nspDiff = m.nsp.get("pooler") - m.nsp.get("mean");
            double topicDiff = m.topic.get("pooler") - m.topic.get("mean");
            String nspCmp = compare(nspDiff, m.nsp.get("mean"), nNsp);
            String topicCmp = compare(topicDiff, m.topic.get("mean"), nTopic);
            out.add(String.format(
                    Locale.ROOT,
                    "- **The pooler** on next-sentence prediction: %s `mean` (%s vs %s,"
                            + " %d test pairs); on topic: %s `mean` (%s vs %s, %d test sentences).",
                    nspCmp,
                    pct(m.nsp.get("pooler")),
                    pct(m.nsp.get("mean")),
                    nNsp,
                    topicCmp,
                    pct(m.topic.get("pooler")),
                    pct(m.topic.get("mean")),
                    nTopic));
            boolean holds = !nspCmp.equals("worse than") && topicCmp.equals("worse than");
            out.add(
                    holds
                            ? "- So the note's suspicion holds here: `pooler` keeps what next-sentence prediction needs and"
                                    + " loses topic information that `mean` keeps."
                            : "- So the note's suspicion, as stated (pooler strong on NSP but weak on topic compared with"
                                    + " `mean`), is not supported by these numbers.");
            String bestTopic = m.topic.entrySet().stream()
                    .max(Map.Entry.comparingByValue())
                    .orElseThrow()
                    .getKey();
            out.add(String.format(
                    Locale.ROOT,
                    "- **For topic classification with a linear model**, `%s` gives the"
                            + " best held-out accuracy (%s).",
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
                    "- Random unrelated sentences have mean cosine %.2f under `%s`"
                            + " (the most anisotropic pooling here): raw cosines of that vector live in a narrow band.",
                    m.anisotropy.get(most),
                    most));
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
        StringBuilder sb = new StringBuilder(String.format(
                Locale.ROOT,
                "- **For similarity by cosine without" + " training**, `%s` %s has the best mean over the files (%.2f)",
                bestP,
                bestC,
                bestMean));
        if (bestC.startsWith("whitened (self")) {
            sb.append(", with whitening fitted on the evaluated sentences themselves (it needs them all in advance)");
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
