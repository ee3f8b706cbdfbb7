package org.taskbert.encoder;

import org.taskbert.model.BertWeights;

/** For tests that hold both to the same yardstick: the one encoder, and the SameDiff whole-graph oracle. */
enum Engine {
    INFERENCE,
    GRAPH;

    Encoder open(BertWeights weights, int batchSize) {
        return this == INFERENCE ? new InferenceEncoder(weights, batchSize) : new SameDiffEncoder(weights, batchSize);
    }
}
