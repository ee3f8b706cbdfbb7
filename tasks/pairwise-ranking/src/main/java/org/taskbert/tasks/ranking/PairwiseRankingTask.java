package org.taskbert.tasks.ranking;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.factory.Nd4j;
import org.taskbert.spi.Batch;
import org.taskbert.spi.BatchBuilder;
import org.taskbert.spi.BatchSource;
import org.taskbert.spi.EmbeddingEvaluation;
import org.taskbert.spi.EvaluationContext;
import org.taskbert.spi.Task;
import org.taskbert.spi.TaskContext;
import org.taskbert.spi.TaskGraph;
import org.taskbert.spi.loss.Losses;
import org.taskbert.tasks.ranking.PairwiseRankingConfig.Loss;

/**
 * Queries matched to their positives. A batch's queries, positives and hard negatives go through the one encoder
 * (rows in that order) and are pooled; s_ij = cos(q_i, c_j), the candidates c being every positive of the batch,
 * then every hard negative. {@code in-batch}: softmax cross-entropy over scale·s_i with q_i's own positive as
 * target. {@code margin}: the mean over i and every other candidate j of max(0, margin − s_ii + s_ij).
 */
final class PairwiseRankingTask implements Task {

    static final String ROWS_Q = "ranking.rows_q";
    static final String ROWS_C = "ranking.rows_c";
    static final String TARGETS = "ranking.targets";
    /** Every sequence's pooled vector, named for the evaluation. */
    static final String POOLED = "ranking.pooled";
    /** Dev texts per run of the head at evaluation, as the framework's inference encoder batches them. */
    private static final int EVAL_BATCH = 128;

    private final PairwiseRankingConfig cfg;
    private final TaskContext ctx;
    private final List<RankingExample> train;
    private final List<RankingExample> dev;
    private final int evalMaxLength;

    PairwiseRankingTask(PairwiseRankingConfig cfg, TaskContext ctx) throws IOException {
        this.cfg = cfg;
        this.ctx = ctx;
        RankingSplit split = cfg.examples();
        this.train = split.train();
        this.dev = split.dev();
        this.evalMaxLength = cfg.evalMaxLength() != null ? cfg.evalMaxLength() : ctx.maxLength();
        if (train.size() < ctx.batchSize()) {
            throw new IllegalArgumentException(train.size() + " training examples, fewer than one batch "
                    + "(training.batch_size " + ctx.batchSize() + ")");
        }
    }

    @Override
    public SDVariable buildLoss(TaskGraph g) {
        SDVariable pooled = g.output(POOLED, g.encoder().pool(cfg.pooling())); // [R, H]
        SDVariable q = Losses.normalize(g.select(ROWS_Q, pooled)); // [N, H]
        SDVariable c = Losses.normalize(g.select(ROWS_C, pooled)); // [C, H]
        SDVariable cos = g.sd().mmul(q, c, false, true, false); // [N, C]
        SDVariable targets = g.placeholder(TARGETS, DataType.FLOAT, -1, -1); // 1 at (i, i)
        // Softmax over the positives and the hard negatives (C ≥ N), so not inBatchContrastive (C = N only).
        return cfg.loss() == Loss.IN_BATCH
                ? Losses.softmaxCrossEntropy(cos.mul(cfg.scale()), targets)
                : Losses.marginRanking(cos, targets, cfg.margin());
    }

    @Override
    public BatchSource batches() {
        return BatchSource.epochs(train.size(), ctx.batchSize(), this::epoch, this::toBatch);
    }

    /** The training examples in the order of {@code epoch}: a shuffle seeded by (seed, epoch). */
    List<RankingExample> epoch(long epoch) {
        return BatchSource.shuffle(train, ctx.seed(), epoch);
    }

    Batch toBatch(List<RankingExample> examples) {
        List<RankingExample> withNegative =
                examples.stream().filter(RankingExample::hasNegative).toList();
        int n = examples.size();
        int c = n + withNegative.size();
        BatchBuilder b = new BatchBuilder();
        examples.forEach(e -> b.add(ctx.tokenizer().encode(e.query(), ctx.maxLength(), cfg.pooling())));
        examples.forEach(e -> b.add(ctx.tokenizer().encode(e.positive(), ctx.maxLength(), cfg.pooling())));
        withNegative.forEach(e -> b.add(ctx.tokenizer().encode(e.negative(), ctx.maxLength(), cfg.pooling())));
        float[][] targets = new float[n][c];
        for (int i = 0; i < n; i++) {
            targets[i][i] = 1; // q_i's positive
        }
        return b.rows(ROWS_Q, 0, n)
                .rows(ROWS_C, n, c)
                .put(TARGETS, Nd4j.createFromArray(targets))
                .build(n);
    }

    /**
     * Each dev query against the dev pool, by the cosine of the trained pooling's vectors, texts cut at
     * {@code eval_max_length} tokens (the encoder's own length would be the model's 512).
     */
    @Override
    public Map<String, Double> evaluate(EvaluationContext context) {
        List<String> texts = RankingEvaluation.texts(dev);
        float[][] vectors = new float[texts.size()][];
        for (int from = 0; from < texts.size(); from += EVAL_BATCH) {
            BatchBuilder b = new BatchBuilder();
            List<String> part = texts.subList(from, Math.min(texts.size(), from + EVAL_BATCH));
            part.forEach(t -> b.add(ctx.tokenizer().encode(t, evalMaxLength, cfg.pooling())));
            float[][] pooled =
                    context.head().run(b.build(part.size()), POOLED).get(POOLED).toFloatMatrix();
            System.arraycopy(pooled, 0, vectors, from, pooled.length);
        }
        return RankingEvaluation.metrics(vectors, dev.size()).named("dev");
    }

    /** The dev queries against the dev candidate pool, by cosine, for any embedding. */
    @Override
    public Optional<EmbeddingEvaluation> embeddingEvaluation() {
        List<String> texts = RankingEvaluation.texts(dev);
        int n = dev.size();
        return Optional.of(new EmbeddingEvaluation(
                texts,
                evalMaxLength,
                0,
                n + " dev queries against " + (texts.size() - n) + " candidates, cosine",
                v -> RankingEvaluation.metrics(v, n).named("dev")));
    }

    List<RankingExample> train() {
        return train;
    }

    List<RankingExample> dev() {
        return dev;
    }
}
