package org.taskbert.spi;

/** What a trained model's sentence vector is: a pooling of the encoder (the pooler includes its dense+tanh). */
public record ExportSpec(Pooling pooling) {}
