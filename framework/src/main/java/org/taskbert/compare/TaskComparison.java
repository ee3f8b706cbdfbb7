package org.taskbert.compare;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.taskbert.analysis.Whitening;
import org.taskbert.config.ConfigLoader;
import org.taskbert.encoder.TextEncoder;
import org.taskbert.model.LoadedModel;
import org.taskbert.model.Models;
import org.taskbert.model.RunFolder;
import org.taskbert.spi.EmbeddingEvaluation;
import org.taskbert.spi.Pooling;
import org.taskbert.spi.Task;
import org.taskbert.spi.config.ConfigException;
import org.taskbert.spi.eval.TfIdf;
import org.taskbert.task.TaskRegistry;
import org.taskbert.train.TrainConfig;

/**
 * Task-specific against generic, for one fine-tuned run: the run's own metrics at its best checkpoint (as its
 * training evaluated them), then the same evaluation set scored by the task's {@link EmbeddingEvaluation} (a linear
 * probe or cosine) for every generic model × pooling, raw and whitened, for other runs' sentence vectors, and for
 * TF-IDF. The
 * task is rebuilt from the run's own config, so the split and the metrics are the run's.
 */
public final class TaskComparison {

    private static final int TFIDF_TERMS = 5000;

    private final CompareConfig cfg;
    private final Comparison.ProgressFactory progress;
    private final TaskRegistry registry;
    private final ConfigLoader runConfigs;
    /** Models by name, loaded once for all the runs (each run needs the base model and every compared one). */
    private final Map<String, LoadedModel> models = new java.util.HashMap<>();

    public TaskComparison(CompareConfig cfg, TaskRegistry registry, Comparison.ProgressFactory progress) {
        this.cfg = cfg;
        this.progress = progress;
        this.registry = registry;
        this.runConfigs = new ConfigLoader(List.of(registry.jacksonModule()));
    }

    public CompareResults.TaskResults run(Path run) throws IOException {
        long start = System.nanoTime();
        TrainConfig tc = runConfigs.read(RunFolder.configFile(run), TrainConfig.class, List.of());
        LoadedModel base = model(tc.model());
        Task task = tc.task()
                .create(new org.taskbert.train.ModelTaskContext(
                        base, tc.training().maxLength(), tc.training().batchSize(), tc.seed()));
        String type = registry.nameOf(tc.task());
        EmbeddingEvaluation eval = task.embeddingEvaluation()
                .orElseThrow(() -> new ConfigException(
                        "compare: the run " + run + " is a '" + type + "' task, which cannot score a fixed embedding"
                                + " (its plugin gives no embedding evaluation); leave it out of 'tasks.runs'"));

        CompareResults.TaskResults r = new CompareResults.TaskResults();
        r.run = run.toString();
        r.task = type;
        r.method = eval.method();
        JsonNode best = new ObjectMapper()
                .readTree(RunFolder.best(run).resolve(RunFolder.STATE).toFile());
        Map<String, Double> own = new LinkedHashMap<>();
        best.path("lastMetrics")
                .fields()
                .forEachRemaining(e -> own.put(e.getKey(), e.getValue().asDouble()));
        r.primaryMetric = tc.training().bestMetric() != null
                ? tc.training().bestMetric()
                : own.keySet().stream().findFirst().orElseThrow();
        r.rows.add(new CompareResults.EmbeddingRow(
                "fine-tuned " + run.getFileName() + " (step "
                        + best.path("step").asLong() + ")",
                "task-specific",
                own));

        for (String model : cfg.taskModels()) {
            embed(model, cfg.tasks().poolingSet(), eval, "generic", r);
        }
        for (Path vectors : cfg.tasks().sentenceVectors()) {
            embed(vectors.toString(), Set.of(Pooling.parse(RunFolder.pooling(vectors))), eval, "sentence-vectors", r);
        }
        if (cfg.tasks().baselines().contains("tfidf")) {
            // The classic reference: term counts of the whole text (no token limit), fitted on the training texts.
            List<String> texts = eval.texts();
            List<String> fit = eval.trainingTexts() > 0 ? texts.subList(0, eval.trainingTexts()) : texts;
            r.rows.add(new CompareResults.EmbeddingRow(
                    "tf-idf", "baseline", eval.score(TfIdf.fit(fit, TFIDF_TERMS).transform(texts))));
        }
        r.seconds = (System.nanoTime() - start) / 1e9;
        return r;
    }

    /** One pass of the model over the evaluation's texts gives every pooling; each is scored raw and whitened. */
    private void embed(
            String modelName,
            Set<Pooling> poolings,
            EmbeddingEvaluation eval,
            String kind,
            CompareResults.TaskResults r) {
        LoadedModel model = model(modelName);
        try (TextEncoder enc = TextEncoder.open(
                model,
                cfg.batchSize(),
                Math.min(eval.maxLength(), model.config().maxPositions()))) {
            if (!enc.encoder().available().containsAll(poolings)) {
                Set<Pooling> missing = new TreeSet<>(poolings);
                missing.removeAll(enc.encoder().available());
                throw new IllegalArgumentException(
                        "model " + modelName + " cannot compute " + missing + " (no pooler weights in its checkpoint)");
            }
            Map<Pooling, float[][]> vectors = enc.embed(
                    eval.texts(),
                    poolings,
                    false,
                    progress.start(
                            Path.of(r.run).getFileName() + ": " + modelName,
                            eval.texts().size()));
            String name = model.name();
            for (Pooling p : poolings) {
                float[][] v = vectors.get(p);
                r.rows.add(new CompareResults.EmbeddingRow(name + " " + p.id(), kind, eval.score(v)));
                if (cfg.tasks().whitened()) {
                    // Fitted on the probe's training texts, or (no training part) on the evaluation's own texts.
                    float[][] fit = eval.trainingTexts() > 0 ? Arrays.copyOfRange(v, 0, eval.trainingTexts()) : v;
                    r.rows.add(new CompareResults.EmbeddingRow(
                            name + " " + p.id() + " whitened",
                            kind,
                            eval.score(Whitening.fit(fit, 0).apply(v))));
                }
            }
        }
    }

    private LoadedModel model(String name) {
        return models.computeIfAbsent(name, Models::load);
    }
}
