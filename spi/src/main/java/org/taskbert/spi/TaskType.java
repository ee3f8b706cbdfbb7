package org.taskbert.spi;

/** A registered task: its short config name and its config class. */
public record TaskType(String name, Class<? extends TaskConfig> configType) {}
