package org.taskbert.spi.data;

/**
 * A next-sentence-prediction example: {@code b} follows {@code a} in document {@code docA} if {@code isNext}, else
 * {@code b} is a random sentence from another document.
 */
public record SentencePair(String a, String b, boolean isNext, String docA) {}
