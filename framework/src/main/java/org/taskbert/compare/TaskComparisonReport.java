package org.taskbert.compare;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import org.taskbert.report.Charts;
import org.taskbert.report.Report;

/** The report's "task-specific against generic" section: a summary table, then each task's table and chart. */
final class TaskComparisonReport {

    private TaskComparisonReport() {}

    static void write(Report rep, List<CompareResults.TaskResults> tasks) {
        rep.heading(2, "Task-specific against generic");
        rep.paragraph("For each fine-tuned run, its own metrics at its best checkpoint (as its training evaluated"
                + " them) beside the same evaluation set scored for fixed embeddings: raw BERT per pooling, the same"
                + " whitened (fitted on the probe's training texts, or on the evaluation's own texts where a task has"
                + " no training part), other runs' sentence vectors, and TF-IDF where configured. A fixed"
                + " embedding is scored as the task's plugin says (a logistic probe trained on the task's training"
                + " split, or cosine). Figures ×100.");
        List<List<String>> summary = new ArrayList<>();
        for (CompareResults.TaskResults t : tasks) {
            Optional<CompareResults.EmbeddingRow> own = best(t, "task-specific");
            Optional<CompareResults.EmbeddingRow> generic = best(t, "generic");
            Optional<CompareResults.EmbeddingRow> vectors = best(t, "sentence-vectors");
            Optional<CompareResults.EmbeddingRow> baseline = best(t, "baseline");
            summary.add(List.of(
                    t.task,
                    t.primaryMetric,
                    cell(t, own),
                    cell(t, generic),
                    cell(t, vectors),
                    cell(t, baseline),
                    own.isPresent() && generic.isPresent()
                            ? String.format(Locale.ROOT, "%+.2f", value(t, own.get()) - value(t, generic.get()))
                            : ""));
        }
        rep.table(
                List.of(
                        "task",
                        "metric",
                        "task-specific",
                        "best generic",
                        "best sentence vectors",
                        "baseline",
                        "task-specific − best generic"),
                summary);
        for (CompareResults.TaskResults t : tasks) {
            task(rep, t);
        }
    }

    private static void task(Report rep, CompareResults.TaskResults t) {
        rep.heading(3, t.task + ": " + t.run);
        rep.paragraph(String.format(
                Locale.ROOT,
                "Fixed embeddings: %s. Best checkpoint chosen by `%s`. %.0f s.",
                t.method,
                t.primaryMetric,
                t.seconds));
        List<String> metrics = new ArrayList<>();
        t.rows.forEach(r ->
                r.metrics.keySet().stream().filter(k -> !metrics.contains(k)).forEach(metrics::add));
        List<String> header = new ArrayList<>(List.of("embedding", "kind"));
        header.addAll(metrics);
        List<List<String>> rows = new ArrayList<>();
        LinkedHashMap<String, Double> bars = new LinkedHashMap<>();
        for (CompareResults.EmbeddingRow r : t.rows) {
            List<String> row = new ArrayList<>(List.of(r.embedding, r.kind));
            metrics.forEach(
                    m -> row.add(r.metrics.containsKey(m) ? String.format(Locale.ROOT, "%.2f", r.metrics.get(m)) : ""));
            rows.add(row);
            bars.put(r.embedding, r.metrics.get(t.primaryMetric));
        }
        rep.table(header, rows);
        String slug = "task-" + Path.of(t.run).getFileName().toString().replaceAll("[^A-Za-z0-9._-]", "_");
        rep.image(
                slug + ".png",
                t.primaryMetric + " on " + t.run + "'s evaluation set, per embedding",
                Charts.bars(t.task + ": " + t.primaryMetric, t.primaryMetric, bars));
        Optional<CompareResults.EmbeddingRow> own = best(t, "task-specific");
        Optional<CompareResults.EmbeddingRow> generic = best(t, "generic");
        if (own.isPresent() && generic.isPresent()) {
            double d = value(t, own.get()) - value(t, generic.get());
            rep.paragraph(String.format(
                    Locale.ROOT,
                    "The task-specific model %s the best generic embedding (`%s`,"
                            + " %.2f) on `%s`: %.2f, %+.2f points.",
                    d > 0 ? "beats" : "does not beat",
                    generic.get().embedding,
                    value(t, generic.get()),
                    t.primaryMetric,
                    value(t, own.get()),
                    d));
        }
    }

    private static Optional<CompareResults.EmbeddingRow> best(CompareResults.TaskResults t, String kind) {
        return t.rows.stream()
                .filter(r -> r.kind.equals(kind) && r.metrics.get(t.primaryMetric) != null)
                .max(Comparator.comparingDouble(r -> value(t, r)));
    }

    private static double value(CompareResults.TaskResults t, CompareResults.EmbeddingRow r) {
        return r.metrics.get(t.primaryMetric);
    }

    private static String cell(CompareResults.TaskResults t, Optional<CompareResults.EmbeddingRow> r) {
        return r.map(x -> String.format(Locale.ROOT, "%.2f (%s)", value(t, x), x.embedding))
                .orElse("");
    }
}
