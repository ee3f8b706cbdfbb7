package org.taskbert.tasks.simcse;

import com.ibm.icu.util.ULocale;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.nd4j.autodiff.samediff.SDVariable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.taskbert.spi.Batch;
import org.taskbert.spi.BatchBuilder;
import org.taskbert.spi.BatchSource;
import org.taskbert.spi.Encoding;
import org.taskbert.spi.TaskContext;
import org.taskbert.spi.TaskGraph;
import org.taskbert.spi.data.Corpus;
import org.taskbert.spi.data.Document;
import org.taskbert.spi.data.SentencePair;
import org.taskbert.spi.data.SentenceSplitter;
import org.taskbert.spi.eval.StsScoredTask;
import org.taskbert.spi.loss.Losses;
import org.taskbert.tasks.simcse.SimCseConfig.Positive;

/**
 * Unsupervised SimCSE (Gao et al., 2021): each sentence of a batch is encoded twice, as two rows of one encoder pass,
 * so that the two passes draw independent dropout masks; the two vectors are each other's positive and every other
 * sentence of the batch is a negative, softmax over cosine / temperature; {@code repetition} repeats a few word pieces
 * of the second copy ({@link WordRepetition}). {@code positive: next} pairs a sentence
 * with the sentence after it in its document instead (the note's signal), {@code both} adds the two losses. With
 * {@code mlp} a new dense+tanh over the pooled vector is trained with the loss and left out of the sentence vector.
 * Rows: the sentences, their second copies (dropout, both), their next sentences (next, both).
 */
final class SimCseTask implements StsScoredTask {

    private static final Logger LOG = LoggerFactory.getLogger(SimCseTask.class);
    static final String FIRST = "simcse.first";
    static final String SECOND = "simcse.second";
    static final String NEXT = "simcse.next";

    private final SimCseConfig cfg;
    private final TaskContext ctx;
    /** ESimCSE's repetition of the second copies; null without {@code repetition}. */
    private final WordRepetition repetition;
    /** Each usable sentence with the sentence after it in its paragraph's document (null at a document's end). */
    private final List<SentencePair> sentences = new ArrayList<>();

    SimCseTask(SimCseConfig cfg, TaskContext ctx) throws IOException {
        this.cfg = cfg;
        this.ctx = ctx;
        this.repetition = cfg.repetition() > 0 ? new WordRepetition(cfg.repetition(), ctx.seed()) : null;
        SentenceSplitter splitter = new SentenceSplitter(new ULocale(cfg.locale()));
        for (Document d : Corpus.read(cfg.corpus(), splitter, cfg.maxDocs())) {
            List<String> s = d.sentences();
            for (int i = 0; i < s.size(); i++) {
                String next = i + 1 < s.size() ? s.get(i + 1) : null;
                if (splitter.words(s.get(i)) >= cfg.minWords()
                        && (cfg.positive() == Positive.DROPOUT || next != null)) {
                    sentences.add(new SentencePair(s.get(i), next, next != null, d.id()));
                }
            }
        }
        if (sentences.size() < 2) {
            throw new IllegalArgumentException(cfg.corpus() + ": " + sentences.size() + " usable sentence(s) of "
                    + cfg.minWords() + " words or more" + (cfg.positive() == Positive.DROPOUT ? "" : " with a next one")
                    + "; in-batch training needs at least 2");
        }
        LOG.info("{} training sentences from {}", sentences.size(), cfg.corpus());
    }

    @Override
    public SDVariable buildLoss(TaskGraph g) {
        SDVariable pooled = g.encoder().pool(cfg.pooling());
        if (cfg.mlp()) {
            int h = ctx.model().hiddenSize();
            pooled = g.sd().math
                    .tanh(g.sd().mmul(pooled, g.headWeight("mlp.weight", ctx.seed(), 0.02, h, h))
                            .add(g.headWeight("mlp.bias", ctx.seed(), 0, 1, h)));
        }
        SDVariable u = Losses.normalize(g.select(FIRST, pooled));
        double scale = 1 / cfg.temperature();
        SDVariable dropout = cfg.positive() == Positive.NEXT
                ? null
                : Losses.inBatchContrastive(u, Losses.normalize(g.select(SECOND, pooled)), scale);
        SDVariable next = cfg.positive() == Positive.DROPOUT
                ? null
                : Losses.inBatchContrastive(u, Losses.normalize(g.select(NEXT, pooled)), scale);
        return next == null
                ? dropout
                : dropout == null ? next : dropout.mul(1 - cfg.nextWeight()).add(next.mul(cfg.nextWeight()));
    }

    @Override
    public BatchSource batches() {
        int perEpoch =
                cfg.sentencesPerEpoch() == 0 ? sentences.size() : Math.min(cfg.sentencesPerEpoch(), sentences.size());
        return BatchSource.shuffled(sentences, perEpoch, ctx.batchSize(), ctx.seed(), this::toBatch);
    }

    Batch toBatch(List<SentencePair> batch) {
        int n = batch.size();
        List<Encoding> first = batch.stream()
                .map(p -> ctx.tokenizer().encode(p.a(), ctx.maxLength(), cfg.pooling()))
                .toList();
        BatchBuilder b = new BatchBuilder().addAll(first);
        b.rows(FIRST, 0, n);
        int next = n;
        if (cfg.positive() != Positive.NEXT) { // the same, another mask, with ESimCSE's repetitions if asked
            b.addAll(repetition == null ? first : repetition.apply(first));
            b.rows(SECOND, n, n);
            next = 2 * n;
        }
        if (cfg.positive() != Positive.DROPOUT) {
            batch.forEach(p -> b.add(ctx.tokenizer().encode(p.b(), ctx.maxLength(), cfg.pooling())));
            b.rows(NEXT, next, n);
        }
        return b.build(n);
    }

    List<SentencePair> sentences() {
        return sentences;
    }

    @Override
    public Sts sts() {
        int positions = ctx.model().maxPositions();
        return new Sts(
                cfg.evalSts(),
                cfg.evalPooling(),
                cfg.evalMaxLength() == 0 ? positions : Math.min(cfg.evalMaxLength(), positions));
    }
}
