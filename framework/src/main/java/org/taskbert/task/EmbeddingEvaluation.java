package org.taskbert.task;

import java.util.List;
import java.util.Map;

/**
 * A task's evaluation set, scored for any fixed text embedding: a linear probe, or the cosine of two vectors. This is
 * how {@code taskbert compare} puts generic embeddings (raw BERT's cls, pooler, mean, ..., whitened) and other
 * tasks' sentence vectors beside the task's own fine-tuned model, on the same examples and the same metrics.
 */
public interface EmbeddingEvaluation {

    /** Every text the evaluation needs a vector for (a probe's training texts included), in the order {@link #score} reads. */
    List<String> texts();

    /**
     * How many of the first {@link #texts} are a probe's training texts: what an unsupervised transform of the
     * vectors (whitening, TF-IDF's vocabulary) may be fitted on without seeing the evaluation. 0: there is no training
     * part, and such transforms are fitted on all the texts (the evaluation's own, labels unseen).
     */
    default int trainingTexts() {
        return 0;
    }

    /** Tokens per text, as the task's own evaluation cuts them. */
    int maxLength();

    /**
     * The task's metrics (named as {@link Task#evaluate} names them) for one embedding: {@code vectors[i]} is the
     * vector of {@code texts().get(i)}.
     */
    Map<String, Double> score(float[][] vectors);

    /** What the numbers rest on, for the report: e.g. "500 queries against 500 candidates, cosine". */
    String method();
}
