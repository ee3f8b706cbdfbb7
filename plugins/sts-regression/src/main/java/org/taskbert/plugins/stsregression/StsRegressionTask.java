package org.taskbert.plugins.stsregression;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;
import org.taskbert.spi.Batch;
import org.taskbert.spi.BatchBuilder;
import org.taskbert.spi.BatchSource;
import org.taskbert.spi.eval.StsScoredTask;
import org.taskbert.spi.TaskContext;
import org.taskbert.spi.TaskGraph;
import org.taskbert.spi.config.ConfigException;
import org.taskbert.spi.data.InputFormatException;
import org.taskbert.spi.data.StsFile;
import org.taskbert.spi.data.StsPair;
import org.taskbert.spi.loss.Losses;

/**
 * SBERT's CosineSimilarityLoss: both sentences of a pair are encoded alone by the one shared encoder (sentence1 rows,
 * then sentence2 rows of one batch), pooled, and the loss is the batch mean of (cos(u, v) − score / max_score)².
 * No head: every trained parameter is the encoder's.
 */
final class StsRegressionTask implements StsScoredTask {

    static final String ROWS_1 = "sts.rows_1";
    static final String ROWS_2 = "sts.rows_2";
    static final String TARGETS = "sts.targets";

    private final StsRegressionConfig cfg;
    private final TaskContext ctx;
    private final List<StsPair> pairs;
    private final int perEpoch;

    StsRegressionTask(StsRegressionConfig cfg, TaskContext ctx) throws IOException {
        this.cfg = cfg;
        this.ctx = ctx;
        this.pairs = read(cfg.train(), cfg.maxScore());
        this.perEpoch = cfg.examplesPerEpoch() == null ? pairs.size() : cfg.examplesPerEpoch();
        if (perEpoch > pairs.size()) {
            throw new ConfigException("field 'task.examples_per_epoch' is " + perEpoch + " but task.train ("
                    + cfg.train() + ") has " + pairs.size() + " pairs");
        }
    }

    @Override
    public SDVariable buildLoss(TaskGraph g) {
        SDVariable pooled = g.encoder().pool(cfg.pooling());                    // [2N, H]: sentence1s, then sentence2s
        return Losses.cosineRegression(g.select(ROWS_1, pooled), g.select(ROWS_2, pooled),
                g.placeholder(TARGETS, DataType.FLOAT, -1, 1));                 // gold score / max_score, [N, 1]
    }

    /** Each epoch the first {@code examples_per_epoch} pairs of a shuffle seeded by (seed, epoch). */
    @Override
    public BatchSource batches() {
        return BatchSource.shuffled(pairs, perEpoch, ctx.batchSize(), ctx.seed(), this::toBatch);
    }

    Batch toBatch(List<StsPair> batch) {
        int n = batch.size();
        BatchBuilder b = new BatchBuilder();
        batch.forEach(p -> b.add(ctx.tokenizer().encode(p.sentence1(), ctx.maxLength(), cfg.pooling())));
        batch.forEach(p -> b.add(ctx.tokenizer().encode(p.sentence2(), ctx.maxLength(), cfg.pooling())));
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            y[i] = (float) (batch.get(i).score() / cfg.maxScore());
        }
        return b.rows(ROWS_1, 0, n).rows(ROWS_2, n, n).column(TARGETS, y).build(n);
    }

    /**
     * The training pairs. Every pair must have a score in [0, maxScore]: one without a usable score, or outside the
     * scale, is an error naming its file and line (for training, a skipped or clipped pair would go unnoticed).
     */
    static List<StsPair> read(Path file, double maxScore) throws IOException {
        StsFile sts = StsFile.read(file);
        if (sts.skippedScores() > 0) {
            throw new InputFormatException(file, sts.firstSkippedLine(), -1, "score", "field 'score' is missing, "
                    + "not a number or not finite (" + sts.skippedScores() + " such pair(s)); training needs every score");
        }
        if (sts.pairs().size() < 2) {
            throw new IllegalArgumentException(file + ": needs at least 2 scored pairs, has " + sts.pairs().size());
        }
        for (int i = 0; i < sts.pairs().size(); i++) {
            double s = sts.pairs().get(i).score();
            if (s < 0 || s > maxScore) {
                throw new InputFormatException(file, sts.lineOf(i), -1, "score", "score " + s
                        + " is outside [0, " + maxScore + "] (task.max_score)");
            }
        }
        return sts.pairs();
    }

    @Override
    public Sts sts() {
        return new Sts(cfg.evalSts(), cfg.pooling(), ctx.maxLength());
    }
}
