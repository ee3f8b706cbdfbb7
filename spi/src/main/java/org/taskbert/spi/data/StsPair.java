package org.taskbert.spi.data;

/** Two sentences and their gold similarity score. */
public record StsPair(String sentence1, String sentence2, double score) {}
