package org.taskbert.analysis;

/** Guards that stop the report from printing a statistic computed on a handful of samples. */
public final class SampleSize {
    private SampleSize() {}

    /** Fails with e.g. "topic probe needs at least 500 samples, the corpus gave 37" if have < need. */
    public static void require(String what, int have, int need) {
        require(what, "samples", have, need);
    }

    /** Fails with e.g. "topic probe needs at least 500 labelled sentences, the corpus gave 37" if have < need. */
    public static void require(String what, String unit, int have, int need) {
        if (have < need) {
            throw new IllegalArgumentException(
                    what + " needs at least " + need + " " + unit + ", the corpus gave " + have);
        }
    }
}
