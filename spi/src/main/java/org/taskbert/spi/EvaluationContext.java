package org.taskbert.spi;

/**
 * What {@link Task#evaluate} sees: the current encoder, for sentence vectors of whole texts (up to the model's
 * positions, whatever the training length), and the task's own head on the current weights.
 */
public interface EvaluationContext {

    SentenceEncoder encoder();

    HeadRunner head();
}
