package org.taskbert.tasks.ranking;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.taskbert.encoder.BertInputs;
import org.taskbert.encoder.Encoder;
import org.taskbert.encoder.Pooling;
import org.taskbert.encoder.TextEncoder;
import org.taskbert.task.Batch;
import org.taskbert.task.BatchSource;
import org.taskbert.task.HeadWeights;
import org.taskbert.task.Task;
import org.taskbert.task.TaskContext;
import org.taskbert.task.TaskGraph;
import org.taskbert.tokenize.Encoding;

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

    private final PairwiseRankingConfig cfg;
    private final TaskContext ctx;
    private final Pooling pooling;
    private final List<RankingExample> train;
    private final List<RankingExample> dev;

    PairwiseRankingTask(PairwiseRankingConfig cfg, TaskContext ctx) throws IOException {
        this.cfg = cfg;
        this.ctx = ctx;
        this.pooling = Pooling.parse(cfg.pooling());
        RankingSplit split = cfg.examples();
        this.train = split.train();
        this.dev = split.dev();
        if (train.size() < ctx.batchSize()) {
            throw new IllegalArgumentException(train.size() + " training examples, fewer than one batch "
                    + "(training.batch_size " + ctx.batchSize() + ")");
        }
    }

    @Override
    public SDVariable buildLoss(TaskGraph g) {
        SameDiff sd = g.sd();
        SDVariable pooled = g.encoder().pool(pooling);                                 // [R, H]
        // Rows picked by products with 0/1 matrices (M2.1 cannot differentiate several gathers).
        SDVariable q = sd.mmul(g.placeholder(ROWS_Q, DataType.FLOAT, -1, -1), pooled);  // [N, H]
        SDVariable c = sd.mmul(g.placeholder(ROWS_C, DataType.FLOAT, -1, -1), pooled);  // [C, H]
        q = q.div(sd.norm2(q, true, 1));
        c = c.div(sd.norm2(c, true, 1));
        SDVariable cos = sd.mmul(q, c, false, true, false);                              // [N, C]
        SDVariable targets = g.placeholder(TARGETS, DataType.FLOAT, -1, -1);            // 1 at (i, i)
        if (cfg.loss().equals("in-batch")) {
            SDVariable logits = cos.mul(cfg.scale());
            return sd.mean("loss", g.logSumExp(logits).sub(sd.sum(logits.mul(targets), 1)));
        }
        SDVariable others = targets.rsub(1);
        SDVariable positive = sd.sum(cos.mul(targets), true, 1);                        // [N, 1]
        SDVariable hinge = sd.nn.relu(cos.sub(positive).add(cfg.margin()), 0).mul(others);
        return sd.sum(hinge).div("loss", sd.sum(others));
    }

    @Override
    public BatchSource batches() {
        return BatchSource.epochs(train.size(), ctx.batchSize(), this::epoch, this::toBatch);
    }

    /** The training examples in the order of {@code epoch}: a shuffle seeded by (seed, epoch). */
    List<RankingExample> epoch(long epoch) {
        List<RankingExample> order = new ArrayList<>(train);
        Collections.shuffle(order, new Random(ctx.seed() + 1_000_003L * epoch));
        return order;
    }

    Batch toBatch(List<RankingExample> examples) {
        List<RankingExample> withNegative = examples.stream().filter(RankingExample::hasNegative).toList();
        int n = examples.size();
        int c = n + withNegative.size();
        List<Encoding> rows = new ArrayList<>(n + c);
        examples.forEach(e -> rows.add(ctx.tokenizer().encode(e.query(), ctx.maxLength())));
        examples.forEach(e -> rows.add(ctx.tokenizer().encode(e.positive(), ctx.maxLength())));
        withNegative.forEach(e -> rows.add(ctx.tokenizer().encode(e.negative(), ctx.maxLength())));
        Map<String, INDArray> ph = new HashMap<>(BertInputs.of(rows, ctx.model().config().maxPositions()));
        ph.put(ROWS_Q, BertInputs.rowSelection(n, 0, n + c));
        ph.put(ROWS_C, BertInputs.rowSelection(c, n, n + c));
        ph.put(TARGETS, BertInputs.rowSelection(n, 0, c)); // 1 at (i, i): q_i's positive
        return new Batch(ph, n + c, BertInputs.time(rows), n);
    }

    @Override
    public Map<String, Double> evaluate(TextEncoder current, HeadWeights head) {
        int maxLength = cfg.evalMaxLength() != null ? cfg.evalMaxLength() : ctx.maxLength();
        return RankingEvaluation.evaluate(current, dev, EnumSet.of(pooling), maxLength, Encoder.Progress.NONE)
                .get(pooling).named("dev");
    }

    /** The dev queries against the dev candidate pool, by cosine, for any embedding. */
    @Override
    public java.util.Optional<org.taskbert.task.EmbeddingEvaluation> embeddingEvaluation() {
        int maxLength = cfg.evalMaxLength() != null ? cfg.evalMaxLength() : ctx.maxLength();
        List<String> pool = RankingEvaluation.pool(dev);
        List<String> texts = new java.util.ArrayList<>(dev.stream().map(RankingExample::query).toList());
        texts.addAll(pool);
        int n = dev.size();
        int[] targets = java.util.stream.IntStream.range(0, n).toArray();
        return java.util.Optional.of(new org.taskbert.task.EmbeddingEvaluation(texts, maxLength, 0,
                n + " dev queries against " + pool.size() + " candidates, cosine",
                v -> RankingMetrics.ofCosine(java.util.Arrays.copyOfRange(v, 0, n),
                        java.util.Arrays.copyOfRange(v, n, v.length), targets).named("dev")));
    }

    List<RankingExample> train() {
        return train;
    }

    List<RankingExample> dev() {
        return dev;
    }
}
