package org.taskbert.spark;

import org.apache.spark.sql.SparkSession;

/** The Spark session of a command: the master it was given, or spark-submit's, or this machine's cores. */
final class SparkSessions {

    /** Every core of this machine, one task per core. */
    static final String DEFAULT_MASTER = "local[*]";

    private SparkSessions() {}

    /**
     * {@code master} when given; otherwise the one spark-submit set ({@code spark.master}), else {@link
     * #DEFAULT_MASTER}. The web UI and the console progress bar are off: the command reports its own progress.
     */
    static SparkSession open(String master, String app) {
        SparkSession.Builder b = SparkSession.builder()
                .appName(app)
                .config("spark.ui.enabled", "false")
                .config("spark.ui.showConsoleProgress", "false");
        if (master != null) {
            b.master(master);
        } else if (System.getProperty("spark.master") == null) {
            b.master(DEFAULT_MASTER);
        }
        SparkSession spark = b.getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        return spark;
    }
}
