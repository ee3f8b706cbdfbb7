package org.taskbert.compare;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Everything {@code taskbert compare} measured, as written to {@code results.json}. */
public final class CompareResults {

    public String config;
    public long seed;
    public double seconds;
    public List<ModelResults> models = new ArrayList<>();
    public List<TaskResults> tasks = new ArrayList<>();

    /** One fine-tuned run's evaluation set: the run's own metrics, then each fixed embedding's. */
    public static final class TaskResults {
        public String run;
        public String task;
        /** How a fixed embedding is scored on this set (probe or cosine, and the sample). */
        public String method;
        /** The metric the run chose its best checkpoint by: the chart's and the verdict's. */
        public String primaryMetric;

        public List<EmbeddingRow> rows = new ArrayList<>();
        public double seconds;
    }

    /** One embedding on one task: {@code task-specific}, {@code generic} or {@code sentence-vectors}. */
    public static final class EmbeddingRow {
        public String embedding;
        public String kind;
        public Map<String, Double> metrics = new LinkedHashMap<>();

        public EmbeddingRow() {}

        public EmbeddingRow(String embedding, String kind, Map<String, Double> metrics) {
            this.embedding = embedding;
            this.kind = kind;
            this.metrics = new LinkedHashMap<>(metrics);
        }
    }

    /** One model's numbers. Maps are keyed by pooling id. */
    public static final class ModelResults {
        public String model;
        /** file → pooling → {raw, whitened (...), probe} Spearman ×100. */
        public Map<String, Map<String, Map<String, Double>>> sts = new LinkedHashMap<>();
        /** Held-out accuracy of a logistic probe predicting is-next from jointly encoded pairs. */
        public Map<String, Double> nsp = new LinkedHashMap<>();
        /** Held-out accuracy of a logistic probe predicting the document's topic from one sentence. */
        public Map<String, Double> topic = new LinkedHashMap<>();

        public List<String> topicLabels = new ArrayList<>();
        /** Mean cosine between random unrelated corpus sentences. */
        public Map<String, Double> anisotropy = new LinkedHashMap<>();
        /** pooling → {similar, dissimilar} cosines on {@link #cosineFile}. */
        public Map<String, Map<String, double[]>> cosines = new LinkedHashMap<>();

        public String cosineFile;
        /** The STS file the probe was trained on (null in results written before it was recorded: STS-B train). */
        public String stsProbeTrain;
        /** What each number rests on. */
        public Map<String, Object> samples = new LinkedHashMap<>();

        public double seconds;

        public ModelResults() {}

        ModelResults(String model) {
            this.model = model;
        }
    }
}
