package org.taskbert.tasks.document;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.taskbert.spi.eval.ClassificationMetrics;
import org.taskbert.spi.eval.ClusterAgreement;
import org.taskbert.spi.eval.LogisticProbe;
import org.taskbert.spi.eval.Retrieval;

/** The topic metrics of one set of document vectors (retrieval, clustering, a linear probe) and of predicted topics. */
final class TopicMetrics {

    static final int RETRIEVED = 10;
    private static final double[] PROBE_L2 = {1e-4, 1e-3, 1e-2, 1e-1};

    private TopicMetrics() {}

    /**
     * {@code NAME.p@10} (same-topic precision of cosine retrieval among the evaluation documents),
     * {@code NAME.kmeans_ari} and {@code NAME.kmeans_v_measure} (k-means with k = the number of topics there, against
     * the topics), and, when training vectors are given, {@code NAME.probe_accuracy} (a logistic probe fitted on them,
     * its L2 strength chosen on a held-out fifth, scored on the evaluation documents).
     */
    static Map<String, Double> of(
            String name,
            float[][] trainX,
            int[] trainY,
            float[][] evalX,
            int[] evalY,
            int classes,
            int restarts,
            long seed) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(name + ".p@" + RETRIEVED, Retrieval.precisionAtK(evalX, evalY, Math.min(RETRIEVED, evalX.length - 1)));
        int k = (int) Arrays.stream(evalY).distinct().count();
        int[] clusters = TopicClusters.kMeans(evalX, k, restarts, seed);
        m.put(name + ".kmeans_ari", ClusterAgreement.adjustedRand(evalY, clusters));
        m.put(name + ".kmeans_v_measure", ClusterAgreement.vMeasure(evalY, clusters));
        if (trainX != null) {
            LogisticProbe probe = LogisticProbe.trainWithValidation(trainX, trainY, classes, PROBE_L2, 0.2, seed);
            m.put(name + ".probe_accuracy", probe.accuracy(evalX, evalY));
        }
        return m;
    }

    /** {@code NAME.accuracy} and {@code NAME.macro_f1} of predicted topics. */
    static Map<String, Double> classification(String name, int[] truth, int[] predicted, int classes) {
        ClassificationMetrics c = ClassificationMetrics.of(truth, predicted, classes);
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(name + ".accuracy", c.accuracy());
        m.put(name + ".macro_f1", c.macroF1());
        return m;
    }
}
