package org.taskbert.tasks.document;

import java.util.ArrayList;
import java.util.List;
import org.apache.commons.math3.ml.clustering.CentroidCluster;
import org.apache.commons.math3.ml.clustering.DoublePoint;
import org.apache.commons.math3.ml.clustering.KMeansPlusPlusClusterer;
import org.apache.commons.math3.ml.clustering.MultiKMeansPlusPlusClusterer;
import org.apache.commons.math3.ml.distance.EuclideanDistance;
import org.apache.commons.math3.random.JDKRandomGenerator;
import org.taskbert.spi.eval.Retrieval;

/** k-means (commons-math3's k-means++, several seeded restarts, least within-cluster variance kept) on unit vectors. */
final class TopicClusters {

    private TopicClusters() {}

    /** The cluster of each row, after L2-normalising the rows (so that Euclidean k-means follows cosine). */
    static int[] kMeans(float[][] x, int k, int restarts, long seed) {
        List<IndexedPoint> points = new ArrayList<>(x.length);
        for (int i = 0; i < x.length; i++) {
            points.add(new IndexedPoint(i, Retrieval.normalised(x[i])));
        }
        JDKRandomGenerator random = new JDKRandomGenerator();
        random.setSeed(seed);
        var clusterer = new MultiKMeansPlusPlusClusterer<>(
                new KMeansPlusPlusClusterer<IndexedPoint>(k, 300, new EuclideanDistance(), random), restarts);
        int[] assignment = new int[x.length];
        List<CentroidCluster<IndexedPoint>> clusters = clusterer.cluster(points);
        for (int c = 0; c < clusters.size(); c++) {
            for (IndexedPoint p : clusters.get(c).getPoints()) {
                assignment[p.index] = c;
            }
        }
        return assignment;
    }

    private static final class IndexedPoint extends DoublePoint {
        private static final long serialVersionUID = 1L;
        final int index;

        IndexedPoint(int index, double[] point) {
            super(point);
            this.index = index;
        }
    }
}
