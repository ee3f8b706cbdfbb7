package org.taskbert.spi.data;

/** A sentence with the topic label of the document it comes from. */
public record LabelledSentence(String text, String label, String docId) {}
