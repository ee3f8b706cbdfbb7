package org.taskbert.tasks.siamese;

import com.ibm.icu.util.ULocale;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.taskbert.corpus.Corpus;
import org.taskbert.corpus.Document;
import org.taskbert.corpus.NextSentencePairs;
import org.taskbert.corpus.SentencePair;
import org.taskbert.corpus.SentenceSplitter;
import org.taskbert.encoder.BertInputs;
import org.taskbert.encoder.Encoder;
import org.taskbert.encoder.Pooling;
import org.taskbert.encoder.TextEncoder;
import org.taskbert.eval.StsEvaluation;
import org.taskbert.task.Batch;
import org.taskbert.task.BatchSource;
import org.taskbert.task.HeadWeights;
import org.taskbert.task.Task;
import org.taskbert.task.TaskContext;
import org.taskbert.task.TaskGraph;
import org.taskbert.tokenize.Encoding;

/**
 * The note's proposal. Each sentence of a pair is encoded alone by the one shared encoder (A's
 * and B's rows of one batch), pooled, and the pair scored by an inner product. {@code binary}: the
 * score s·⟨u,v⟩+b is trained by cross-entropy against is-next. {@code in-batch}: each A's true next
 * sentence against every other B of the batch, softmax over the scores.
 */
final class SiameseNspTask implements Task {

    static final String ROWS_A = "siamese.rows_a";
    static final String ROWS_B = "siamese.rows_b";
    static final String LABELS = "siamese.is_next";
    static final String TARGETS = "siamese.targets";

    private final SiameseNspConfig cfg;
    private final TaskContext ctx;
    private final List<Document> docs;
    private final Pooling pooling;
    private final boolean inBatch;

    SiameseNspTask(SiameseNspConfig cfg, TaskContext ctx) throws IOException {
        this.cfg = cfg;
        this.ctx = ctx;
        this.pooling = Pooling.parse(cfg.pooling());
        this.inBatch = cfg.objective().equals("in-batch");
        this.docs = Corpus.read(cfg.corpus(), new SentenceSplitter(new ULocale(cfg.locale())), cfg.maxDocs());
        NextSentencePairs.sample(docs, 1, ctx.seed()); // fails early, and clearly, on a corpus without pairs
    }

    @Override
    public SDVariable buildLoss(TaskGraph g) {
        SameDiff sd = g.sd();
        SDVariable pooled = g.encoder().pool(pooling);                          // [2N, H]: A's rows, then B's
        // Row selections as products with 0/1 matrices [N, 2N] (M2.1 cannot differentiate several gathers).
        SDVariable u = sd.mmul(g.placeholder(ROWS_A, DataType.FLOAT, -1, -1), pooled);
        SDVariable v = sd.mmul(g.placeholder(ROWS_B, DataType.FLOAT, -1, -1), pooled);
        if (!inBatch) {
            SDVariable dot = sd.sum(u.mul(v), true, 1);                            // [N, 1]
            int h = ctx.model().config().hiddenSize();
            SDVariable z;
            if (cfg.score().equals("centered")) {
                // ⟨u,v⟩ less the batch's mean over all A×B pairs, ⟨mean u, mean v⟩. Raw pooled vectors share one large
                // common direction (pooler cosines are ~0.9 for any two sentences), so uncentered logits start
                // nearly equal and the bias would have to travel hundreds of units before the pair term can speak.
                SDVariable common = sd.sum(sd.mean(u, true, 0).mul(sd.mean(v, true, 0)));
                z = dot.sub(common).mul(g.headScalar("scale", (float) (1 / Math.sqrt(h)))).add(g.headScalar("bias", 0f));
            } else if (cfg.score().equals("scaled")) {
                // s starts at 1/H so that the first logits are moderate (inner products of pooled vectors reach ~H).
                z = dot.mul(g.headScalar("scale", 1f / h)).add(g.headScalar("bias", 0f));
            } else {
                z = dot;
            }
            SDVariable y = g.placeholder(LABELS, DataType.FLOAT, -1, 1);
            // Binary cross-entropy with logits, in its stable form: max(z,0) − z·y + log(1 + e^−|z|).
            SDVariable bce = sd.nn.relu(z, 0).sub(z.mul(y)).add(sd.math.log(sd.math.exp(sd.math.abs(z).neg()).add(1)));
            return sd.mean("loss", bce);
        }
        if (cfg.score().equals("cosine")) {
            u = u.div(sd.norm2(u, true, 1));
            v = v.div(sd.norm2(v, true, 1));
        }
        SDVariable scores = sd.mmul(u, v, false, true, false);                    // [N, N]
        if (cfg.score().equals("cosine")) {
            scores = scores.div(cfg.temperature());
        } else if (cfg.score().equals("scaled")) {
            scores = scores.mul(g.headScalar("scale", 1f));
        }
        SDVariable targets = g.placeholder(TARGETS, DataType.FLOAT, -1, -1);     // identity: A_i's positive is B_i
        SDVariable nll = g.logSumExp(scores).sub(sd.sum(scores.mul(targets), 1));
        return sd.mean("loss", nll);
    }

    @Override
    public BatchSource batches() {
        return BatchSource.epochs(cfg.pairsPerEpoch(), ctx.batchSize(),
                epoch -> draw(cfg.pairsPerEpoch(), ctx.seed() + 1_000_003L * epoch), this::toBatch);
    }

    /** Pairs as create_pretraining_data.py draws them; for in-batch, true next sentences only. */
    List<SentencePair> draw(int n, long seed) {
        if (!inBatch) {
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
        List<Encoding> rows = new ArrayList<>(2 * n);
        pairs.forEach(p -> rows.add(ctx.tokenizer().encode(p.a(), ctx.maxLength())));
        pairs.forEach(p -> rows.add(ctx.tokenizer().encode(p.b(), ctx.maxLength())));
        Map<String, INDArray> ph = new HashMap<>(BertInputs.of(rows, ctx.model().config().maxPositions()));
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            y[i] = pairs.get(i).isNext() ? 1 : 0;
        }
        ph.put(ROWS_A, BertInputs.rowSelection(n, 0, 2 * n));
        ph.put(ROWS_B, BertInputs.rowSelection(n, n, 2 * n));
        if (inBatch) {
            ph.put(TARGETS, Nd4j.eye(n).castTo(DataType.FLOAT));
        } else {
            ph.put(LABELS, Nd4j.createFromArray(y).reshape(n, 1));
        }
        return new Batch(ph, 2 * n, BertInputs.time(rows), n);
    }

    @Override
    public Map<String, Double> evaluate(TextEncoder current, HeadWeights head) throws IOException {
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (Path f : cfg.evalSts()) {
            StsEvaluation.FileResult r = StsEvaluation.evaluate(current, f, EnumSet.of(pooling),
                    n -> Encoder.Progress.NONE);
            metrics.put(StsEvaluation.metricName(f), r.spearman().get(pooling.id()));
        }
        return metrics;
    }

    @Override
    public java.util.Optional<org.taskbert.task.EmbeddingEvaluation> embeddingEvaluation() throws IOException {
        return java.util.Optional.of(StsEvaluation.embeddingEvaluation(cfg.evalSts(), ctx.maxLength()));
    }

}
