package org.taskbert.tasks.cross;

import java.io.IOException;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.linalg.api.buffer.DataType;
import org.taskbert.spi.Batch;
import org.taskbert.spi.BatchBuilder;
import org.taskbert.spi.BatchSource;
import org.taskbert.spi.Pooling;
import org.taskbert.spi.TaskContext;
import org.taskbert.spi.TaskGraph;
import org.taskbert.spi.data.Document;
import org.taskbert.spi.data.NextSentencePairs;
import org.taskbert.spi.data.SentencePair;
import org.taskbert.spi.eval.StsScoredTask;
import org.taskbert.spi.loss.Losses;

/**
 * BERT's original next-sentence structure: [CLS] A [SEP] B [SEP] in one input (segments 0 and 1),
 * {@code pooled_output}, a new hidden→2 layer, softmax cross-entropy against is-next.
 */
final class CrossNspTask implements StsScoredTask {

    static final String LABELS = "cross.labels";

    private final CrossNspConfig cfg;
    private final TaskContext ctx;
    private final List<Document> docs;

    CrossNspTask(CrossNspConfig cfg, TaskContext ctx) throws IOException {
        this.cfg = cfg;
        this.ctx = ctx;
        this.docs = NextSentencePairs.corpus(cfg.corpus(), cfg.locale(), cfg.maxDocs());
    }

    @Override
    public SDVariable buildLoss(TaskGraph g) {
        int h = ctx.model().hiddenSize();
        SDVariable pooled = g.encoder().pool(Pooling.POOLER); // [N, H]
        SDVariable logits = g.sd().mmul(pooled, g.headWeight("nsp.weight", ctx.seed(), 0.02, h, 2))
                .add(g.headWeight("nsp.bias", ctx.seed(), 0, 2));
        SDVariable y = g.placeholder(LABELS, DataType.FLOAT, -1, 2); // one-hot: [not next, next]
        return Losses.softmaxCrossEntropy(logits, y);
    }

    @Override
    public BatchSource batches() {
        return BatchSource.epochs(
                cfg.pairsPerEpoch(),
                ctx.batchSize(),
                epoch -> NextSentencePairs.sample(docs, cfg.pairsPerEpoch(), BatchSource.epochSeed(ctx.seed(), epoch)),
                this::toBatch);
    }

    Batch toBatch(List<SentencePair> pairs) {
        BatchBuilder b = new BatchBuilder();
        int[] labels = new int[pairs.size()];
        for (int i = 0; i < pairs.size(); i++) {
            b.add(ctx.tokenizer().encodePair(pairs.get(i).a(), pairs.get(i).b(), ctx.maxLength()));
            labels[i] = pairs.get(i).isNext() ? 1 : 0;
        }
        return b.oneHot(LABELS, labels, 2).build(pairs.size());
    }

    /** Spearman ×100 of single-sentence {@code pooler} vectors on each STS file. */
    @Override
    public Sts sts() {
        return new Sts(cfg.evalSts(), Pooling.POOLER, ctx.maxLength());
    }
}
