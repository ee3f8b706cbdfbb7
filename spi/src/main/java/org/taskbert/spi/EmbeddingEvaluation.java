package org.taskbert.spi;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * A task's evaluation set, scored for any fixed text embedding: a linear probe, or the cosine of two vectors. This is
 * how {@code taskbert compare} puts generic embeddings (raw BERT's cls, pooler, mean, ..., whitened) and other
 * tasks' sentence vectors beside the task's own fine-tuned model, on the same examples and the same metrics.
 *
 * @param texts every text the evaluation needs a vector for (a probe's training texts included), in the order
 *     {@code scorer} reads them
 * @param maxLength tokens per text, as the task's own evaluation cuts them
 * @param trainingTexts how many of the first texts are a probe's training texts: what an unsupervised transform of the
 *     vectors (whitening, TF-IDF's vocabulary) may be fitted on without seeing the evaluation; 0 when there is no
 *     training part, and such transforms are fitted on all the texts (the evaluation's own, labels unseen)
 * @param method what the numbers rest on, for the report: e.g. "500 queries against 500 candidates, cosine"
 * @param scorer the task's metrics (named as {@link Task#evaluate} names them) for one embedding, given
 *     {@code vectors[i]}, the vector of {@code texts.get(i)}
 */
public record EmbeddingEvaluation(
        List<String> texts,
        int maxLength,
        int trainingTexts,
        String method,
        Function<float[][], Map<String, Double>> scorer) {

    public EmbeddingEvaluation {
        texts = List.copyOf(texts);
        if (trainingTexts < 0 || trainingTexts > texts.size()) {
            throw new IllegalArgumentException(
                    "trainingTexts must be within 0.." + texts.size() + ", got " + trainingTexts);
        }
    }

    public Map<String, Double> score(float[][] vectors) {
        if (vectors.length != texts.size()) {
            throw new IllegalArgumentException("expected " + texts.size() + " vectors, got " + vectors.length);
        }
        return scorer.apply(vectors);
    }
}
