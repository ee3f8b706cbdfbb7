package org.taskbert.task;

import org.taskbert.model.LoadedModel;
import org.taskbert.tokenize.BertTokenizer;

/**
 * What a task is created with: the model (config, tokenizer), the maximum length, the examples per
 * micro-batch ({@code training.batch_size}) and the run's seed.
 */
public record TaskContext(LoadedModel model, BertTokenizer tokenizer, int maxLength, int batchSize, long seed) { }
