package org.taskbert.spi;

import com.fasterxml.jackson.annotation.JsonTypeInfo;

/**
 * A task's section of a training config, {@code task: {type: <name>, ...}}. The type is a
 * registered short name (never a class name); each plugin's config record implements this.
 */
@JsonTypeInfo(use = JsonTypeInfo.Id.NAME, include = JsonTypeInfo.As.PROPERTY, property = "type")
public interface TaskConfig {

    /** Checks paths and values, naming the field on error (fields are under {@code task.}). */
    default void validate(String configName) {}

    /** The sentence vector this task trains, for export and for {@code embed} on a run. */
    ExportSpec exportSpec();

    /** Creates the task: reads its data, ready to build its head and batches. */
    Task create(TaskContext context) throws java.io.IOException;
}
