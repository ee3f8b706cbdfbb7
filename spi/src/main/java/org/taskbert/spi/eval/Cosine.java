package org.taskbert.spi.eval;

/** Cosine similarity of two float vectors, accumulated in double. */
public final class Cosine {
    private Cosine() {}

    /**
     * {@code a·b / (|a| |b|)}; 0 if either vector is all zeros. Fails with {@link IllegalArgumentException} if the
     * lengths differ.
     */
    public static double cosine(float[] a, float[] b) {
        if (a.length != b.length) {
            throw new IllegalArgumentException("vectors have lengths " + a.length + " and " + b.length);
        }
        double dot = 0;
        double normA = 0;
        double normB = 0;
        for (int i = 0; i < a.length; i++) {
            dot += (double) a[i] * b[i];
            normA += (double) a[i] * a[i];
            normB += (double) b[i] * b[i];
        }
        return normA == 0 || normB == 0 ? 0 : dot / (Math.sqrt(normA) * Math.sqrt(normB));
    }
}
