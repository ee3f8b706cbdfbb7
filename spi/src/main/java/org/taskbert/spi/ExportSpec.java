package org.taskbert.spi;

import org.taskbert.spi.Pooling;

/** What a trained model's sentence vector is: a pooling of the encoder (the pooler includes its dense+tanh). */
public record ExportSpec(Pooling pooling) { }
