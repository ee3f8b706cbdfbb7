package org.taskbert.spi;

/** The sizes of the encoder a task is built on: all a head needs to know of the model. */
public record ModelShape(int hiddenSize, int numHeads, int numLayers, int maxPositions, int vocabSize) {}
