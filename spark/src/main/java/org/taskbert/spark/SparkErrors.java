package org.taskbert.spark;

import org.apache.spark.SparkException;
import picocli.CommandLine;

/** What went wrong inside a Spark job, without Spark's wrapping ("Job aborted due to stage failure: ..."). */
final class SparkErrors {

    private SparkErrors() {}

    /** The task's own exception when Spark carried it back; else {@code e}. */
    static Throwable cause(Throwable e) {
        Throwable t = e instanceof CommandLine.ExecutionException && e.getCause() != null ? e.getCause() : e;
        while (t instanceof SparkException && t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        return t;
    }
}
