package org.taskbert.tasks.document;

import java.util.LinkedHashMap;
import java.util.Map;
import org.taskbert.analysis.LogisticProbe;

/** The topic metrics of one set of document vectors: retrieval, clustering and a linear probe. */
final class TopicMetrics {

    static final int RETRIEVED = 10;
    private static final double[] PROBE_L2 = {1e-4, 1e-3, 1e-2, 1e-1};

    private TopicMetrics() {
    }

    /**
     * {@code NAME.p@10} (same-topic precision of cosine retrieval among the evaluation documents),
     * {@code NAME.kmeans_ari} and {@code NAME.kmeans_v_measure} (k-means with k = the number of topics there, against
     * the topics), and, when training vectors are given, {@code NAME.probe_accuracy} (a logistic probe fitted on them,
     * its L2 strength chosen on a held-out fifth, scored on the evaluation documents).
     */
    static Map<String, Double> of(String name, float[][] trainX, int[] trainY, float[][] evalX, int[] evalY,
            int classes, int restarts, long seed) {
        Map<String, Double> m = new LinkedHashMap<>();
        m.put(name + ".p@" + RETRIEVED, TopicRetrieval.precisionAtK(evalX, evalY,
                Math.min(RETRIEVED, evalX.length - 1)));
        int k = (int) java.util.Arrays.stream(evalY).distinct().count();
        int[] clusters = TopicClusters.kMeans(evalX, k, restarts, seed);
        m.put(name + ".kmeans_ari", ClusterAgreement.adjustedRand(evalY, clusters));
        m.put(name + ".kmeans_v_measure", ClusterAgreement.vMeasure(evalY, clusters));
        if (trainX != null) {
            LogisticProbe probe = LogisticProbe.trainWithValidation(trainX, trainY, classes, PROBE_L2, 0.2, seed);
            m.put(name + ".probe_accuracy", probe.accuracy(evalX, evalY));
        }
        return m;
    }

    static double accuracy(int[] truth, int[] predicted) {
        int correct = 0;
        for (int i = 0; i < truth.length; i++) {
            correct += truth[i] == predicted[i] ? 1 : 0;
        }
        return (double) correct / truth.length;
    }

    /** The mean over classes (those that occur in the truth or the predictions) of F1 = 2TP / (2TP + FP + FN). */
    static double macroF1(int[] truth, int[] predicted, int classes) {
        double sum = 0;
        int counted = 0;
        for (int c = 0; c < classes; c++) {
            int tp = 0;
            int fp = 0;
            int fn = 0;
            for (int i = 0; i < truth.length; i++) {
                tp += truth[i] == c && predicted[i] == c ? 1 : 0;
                fp += truth[i] != c && predicted[i] == c ? 1 : 0;
                fn += truth[i] == c && predicted[i] != c ? 1 : 0;
            }
            if (tp + fp + fn > 0) {
                sum += 2.0 * tp / (2.0 * tp + fp + fn);
                counted++;
            }
        }
        return sum / counted;
    }
}
