package org.taskbert.tasks.cross;

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
 * BERT's original next-sentence structure: [CLS] A [SEP] B [SEP] in one input (segments 0 and 1),
 * {@code pooled_output}, a new hidden→2 layer, softmax cross-entropy against is-next.
 */
final class CrossNspTask implements Task {

    static final String LABELS = "cross.labels";

    private final CrossNspConfig cfg;
    private final TaskContext ctx;
    private final List<Document> docs;

    CrossNspTask(CrossNspConfig cfg, TaskContext ctx) throws IOException {
        this.cfg = cfg;
        this.ctx = ctx;
        this.docs = Corpus.read(cfg.corpus(), new SentenceSplitter(new ULocale(cfg.locale())), cfg.maxDocs());
        NextSentencePairs.sample(docs, 1, ctx.seed()); // fails early, and clearly, on a corpus without pairs
    }

    @Override
    public SDVariable buildLoss(TaskGraph g) {
        SameDiff sd = g.sd();
        int h = ctx.model().config().hiddenSize();
        SDVariable pooled = g.encoder().pool(Pooling.POOLER);                     // [N, H]
        SDVariable logits = sd.mmul(pooled, g.headWeight("nsp.weight", ctx.seed(), 0.02, h, 2))
                .add(g.headWeight("nsp.bias", ctx.seed(), 0, 2));
        SDVariable y = g.placeholder(LABELS, DataType.FLOAT, -1, 2);                // one-hot: [not next, next]
        return sd.mean("loss", g.logSumExp(logits).sub(sd.sum(logits.mul(y), 1)));
    }

    @Override
    public BatchSource batches() {
        return BatchSource.epochs(cfg.pairsPerEpoch(), ctx.batchSize(),
                epoch -> NextSentencePairs.sample(docs, cfg.pairsPerEpoch(), ctx.seed() + 1_000_003L * epoch),
                this::toBatch);
    }

    Batch toBatch(List<SentencePair> pairs) {
        List<Encoding> rows = new ArrayList<>();
        float[][] y = new float[pairs.size()][2];
        for (int i = 0; i < pairs.size(); i++) {
            rows.add(ctx.tokenizer().encodePair(pairs.get(i).a(), pairs.get(i).b(), ctx.maxLength()));
            y[i][pairs.get(i).isNext() ? 1 : 0] = 1;
        }
        Map<String, INDArray> ph = new HashMap<>(BertInputs.of(rows, ctx.model().config().maxPositions()));
        ph.put(LABELS, Nd4j.createFromArray(y));
        return new Batch(ph, rows.size(), BertInputs.time(rows), rows.size());
    }

    @Override
    public Map<String, Double> evaluate(TextEncoder current, HeadWeights head) throws IOException {
        Map<String, Double> metrics = new LinkedHashMap<>();
        for (Path f : cfg.evalSts()) {
            StsEvaluation.FileResult r = StsEvaluation.evaluate(current, f, EnumSet.of(Pooling.POOLER),
                    n -> Encoder.Progress.NONE);
            metrics.put(StsEvaluation.metricName(f), r.spearman().get(Pooling.POOLER.id()));
        }
        return metrics;
    }
}
