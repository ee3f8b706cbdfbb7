package org.taskbert.tasks.siamese;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.taskbert.spi.Batch;
import org.taskbert.spi.BatchBuilder;
import org.taskbert.spi.BatchSource;
import org.taskbert.spi.TaskContext;
import org.taskbert.spi.TaskGraph;
import org.taskbert.spi.data.Document;
import org.taskbert.spi.data.NextSentencePairs;
import org.taskbert.spi.data.SentencePair;
import org.taskbert.spi.eval.StsScoredTask;
import org.taskbert.spi.loss.Losses;
import org.taskbert.tasks.siamese.SiameseNspConfig.Objective;
import org.taskbert.tasks.siamese.SiameseNspConfig.Score;

/**
 * The note's proposal. Each sentence of a pair is encoded alone by the one shared encoder (A's
 * and B's rows of one batch), pooled, and the pair scored by an inner product. {@code binary}: the
 * score s·⟨u,v⟩+b is trained by cross-entropy against is-next. {@code in-batch}: each A's true next
 * sentence against every other B of the batch, softmax over the scores.
 */
final class SiameseNspTask implements StsScoredTask {

    static final String ROWS_A = "siamese.rows_a";
    static final String ROWS_B = "siamese.rows_b";
    static final String LABELS = "siamese.is_next";

    private final SiameseNspConfig cfg;
    private final TaskContext ctx;
    private final List<Document> docs;

    SiameseNspTask(SiameseNspConfig cfg, TaskContext ctx) throws IOException {
        this.cfg = cfg;
        this.ctx = ctx;
        this.docs = NextSentencePairs.corpus(cfg.corpus(), cfg.locale(), cfg.maxDocs());
    }

    @Override
    public SDVariable buildLoss(TaskGraph g) {
        SameDiff sd = g.sd();
        SDVariable pooled = g.encoder().pool(cfg.pooling()); // [2N, H]: A's rows, then B's
        SDVariable u = g.select(ROWS_A, pooled);
        SDVariable v = g.select(ROWS_B, pooled);
        if (cfg.objective() == Objective.IN_BATCH) {
            if (cfg.score() == Score.COSINE) {
                return Losses.inBatchContrastive(Losses.normalize(u), Losses.normalize(v), 1 / cfg.temperature());
            }
            if (cfg.score() == Score.LEARNED_SCALE) {
                return Losses.inBatchContrastive(Losses.normalize(u), Losses.normalize(v), learnedScale(g));
            }
            return cfg.score() == Score.SCALED
                    ? Losses.inBatchContrastive(u, v, g.headScalar("scale", 1f))
                    : Losses.inBatchContrastive(u, v, 1);
        }
        SDVariable dot = sd.sum(u.mul(v), true, 1); // [N, 1]
        int h = ctx.model().hiddenSize();
        SDVariable z = switch (cfg.score()) {
            // ⟨u,v⟩ less the batch's mean over all A×B pairs, ⟨mean u, mean v⟩. Raw pooled vectors share one large
            // common direction (pooler cosines are ~0.9 for any two sentences), so uncentered logits start nearly
            // equal and the bias would have to travel hundreds of units before the pair term can speak.
            case CENTERED ->
                dot.sub(sd.sum(sd.mean(u, true, 0).mul(sd.mean(v, true, 0))))
                        .mul(g.headScalar("scale", (float) (1 / Math.sqrt(h))))
                        .add(g.headScalar("bias", 0f));
            // s starts at 1/H so that the first logits are moderate (inner products of pooled vectors reach ~H).
            case SCALED -> dot.mul(g.headScalar("scale", 1f / h)).add(g.headScalar("bias", 0f));
            // Scores of unit vectors: a tanh-saturated pooler's inner products (~0.9·H for any pair) scaled away.
            case COSINE -> Losses.cosine(u, v).mul(1 / cfg.temperature()).add(bias(g));
            case LEARNED_SCALE -> Losses.cosine(u, v).mul(learnedScale(g)).add(bias(g));
            default -> dot;
        };
        return Losses.binaryCrossEntropyWithLogits(z, g.placeholder(LABELS, DataType.FLOAT, -1, 1));
    }

    /** e^t with t = ln(init_scale) learned and e^t capped at max_scale (CLIP's logit scale; SigLIP's t'). */
    private SDVariable learnedScale(TaskGraph g) {
        SDVariable t = g.headScalar("log_scale", (float) Math.log(cfg.initScale()));
        return g.sd().math.exp(g.sd().math.clipByValue(t, -20, Math.log(cfg.maxScale())));
    }

    private SDVariable bias(TaskGraph g) {
        return g.headScalar("bias", cfg.initBias().floatValue());
    }

    @Override
    public BatchSource batches() {
        return BatchSource.epochs(
                cfg.pairsPerEpoch(),
                ctx.batchSize(),
                epoch -> draw(cfg.pairsPerEpoch(), BatchSource.epochSeed(ctx.seed(), epoch)),
                this::toBatch);
    }

    /** Pairs as create_pretraining_data.py draws them; for in-batch, true next sentences only. */
    List<SentencePair> draw(int n, long seed) {
        if (cfg.objective() == Objective.BINARY) {
            return NextSentencePairs.sample(docs, n, seed);
        }
        List<SentencePair> out = new ArrayList<>(n);
        for (long round = 0; out.size() < n; round++) {
            for (SentencePair p : NextSentencePairs.sample(docs, 2 * n, seed + round)) {
                if (p.isNext() && out.size() < n) {
                    out.add(p);
                }
            }
        }
        return out;
    }

    Batch toBatch(List<SentencePair> pairs) {
        int n = pairs.size();
        BatchBuilder b = new BatchBuilder();
        pairs.forEach(p -> b.add(ctx.tokenizer().encode(p.a(), ctx.maxLength(), cfg.pooling())));
        pairs.forEach(p -> b.add(ctx.tokenizer().encode(p.b(), ctx.maxLength(), cfg.pooling())));
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            y[i] = pairs.get(i).isNext() ? 1 : 0;
        }
        return b.rows(ROWS_A, 0, n).rows(ROWS_B, n, n).column(LABELS, y).build(n);
    }

    @Override
    public Sts sts() {
        return new Sts(cfg.evalSts(), cfg.pooling(), ctx.maxLength());
    }
}
