package org.taskbert.spark;

import java.io.Serializable;
import org.apache.spark.TaskContext;

/**
 * A planned task failure, for the fault tests: the first attempt of one partition fails after it has emitted some of
 * its rows, as when its executor dies mid-write, and writes {@code marker} (a file) to say it did. {@link #NONE} in
 * every command.
 */
record FaultPlan(int partition, int afterRows, String marker) implements Serializable {

    static final FaultPlan NONE = new FaultPlan(-1, 0, null);

    /** Throws when this is the planned partition's first attempt and {@code emitted} rows are out. */
    void check(int emitted) {
        TaskContext task = TaskContext.get();
        if (partition >= 0
                && task != null
                && task.partitionId() == partition
                && task.attemptNumber() == 0
                && emitted == afterRows) {
            if (marker != null) {
                try {
                    java.nio.file.Files.writeString(java.nio.file.Path.of(marker), "failed " + task.taskAttemptId());
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            }
            throw new IllegalStateException("planned failure of partition " + partition + "'s first attempt after "
                    + emitted + " rows (fault test)");
        }
    }
}
