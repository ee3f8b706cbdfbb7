package org.taskbert.plugins.stsregression;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.GZIPInputStream;
import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.taskbert.config.ConfigException;
import org.taskbert.data.InputFormatException;
import org.taskbert.data.StsFile;
import org.taskbert.data.StsPair;
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
 * SBERT's CosineSimilarityLoss: both sentences of a pair are encoded alone by the one shared encoder (sentence1 rows,
 * then sentence2 rows of one batch), pooled, and the loss is the batch mean of (cos(u, v) − score / max_score)².
 * No head: every trained parameter is the encoder's.
 */
final class StsRegressionTask implements Task {

    static final String ROWS_1 = "sts.rows_1";
    static final String ROWS_2 = "sts.rows_2";
    static final String TARGETS = "sts.targets";

    private final StsRegressionConfig cfg;
    private final TaskContext ctx;
    private final Pooling pooling;
    private final List<StsPair> pairs;
    private final int perEpoch;

    StsRegressionTask(StsRegressionConfig cfg, TaskContext ctx) throws IOException {
        this.cfg = cfg;
        this.ctx = ctx;
        this.pooling = Pooling.parse(cfg.pooling());
        this.pairs = read(cfg.train(), cfg.maxScore());
        this.perEpoch = cfg.examplesPerEpoch() == null ? pairs.size() : cfg.examplesPerEpoch();
        if (perEpoch > pairs.size()) {
            throw new ConfigException("field 'task.examples_per_epoch' is " + perEpoch + " but task.train ("
                    + cfg.train() + ") has " + pairs.size() + " pairs");
        }
    }

    @Override
    public SDVariable buildLoss(TaskGraph g) {
        SameDiff sd = g.sd();
        SDVariable pooled = g.encoder().pool(pooling);                            // [2N, H]: sentence1s, then sentence2s
        // Row selections as products with 0/1 matrices [N, 2N] (M2.1 cannot differentiate several gathers).
        SDVariable u = sd.mmul(g.placeholder(ROWS_1, DataType.FLOAT, -1, -1), pooled);
        SDVariable v = sd.mmul(g.placeholder(ROWS_2, DataType.FLOAT, -1, -1), pooled);
        SDVariable cos = sd.sum(u.mul(v), true, 1).div(sd.norm2(u, true, 1).mul(sd.norm2(v, true, 1))); // [N, 1]
        SDVariable err = cos.sub(g.placeholder(TARGETS, DataType.FLOAT, -1, 1));  // gold score / max_score
        return sd.mean("loss", err.mul(err));
    }

    @Override
    public BatchSource batches() {
        return BatchSource.epochs(perEpoch, ctx.batchSize(), this::draw, this::toBatch);
    }

    /** The epoch's pairs: the first {@code examples_per_epoch} of a shuffle seeded by (seed, epoch). */
    List<StsPair> draw(long epoch) {
        int[] order = new int[pairs.size()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        SplittableRandom rnd = new SplittableRandom(ctx.seed() * 0x9E3779B97F4A7C15L + epoch);
        for (int i = order.length - 1; i > 0; i--) {                             // Fisher–Yates
            int j = rnd.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        List<StsPair> out = new ArrayList<>(perEpoch);
        for (int i = 0; i < perEpoch; i++) {
            out.add(pairs.get(order[i]));
        }
        return out;
    }

    Batch toBatch(List<StsPair> batch) {
        int n = batch.size();
        List<Encoding> rows = new ArrayList<>(2 * n);
        batch.forEach(p -> rows.add(ctx.tokenizer().encode(p.sentence1(), ctx.maxLength())));
        batch.forEach(p -> rows.add(ctx.tokenizer().encode(p.sentence2(), ctx.maxLength())));
        Map<String, INDArray> ph = new HashMap<>(BertInputs.of(rows, ctx.model().config().maxPositions()));
        float[] y = new float[n];
        for (int i = 0; i < n; i++) {
            y[i] = (float) (batch.get(i).score() / cfg.maxScore());
        }
        ph.put(ROWS_1, BertInputs.rowSelection(n, 0, 2 * n));
        ph.put(ROWS_2, BertInputs.rowSelection(n, n, 2 * n));
        ph.put(TARGETS, Nd4j.createFromArray(y).reshape(n, 1));
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
                throw new InputFormatException(file, lineOfPair(file, i), -1, "score", "score " + s
                        + " is outside [0, " + maxScore + "] (task.max_score)");
            }
        }
        return sts.pairs();
    }

    /** The line of the {@code k}-th pair: StsFile skips only blank lines when every score is usable. */
    private static long lineOfPair(Path file, int k) throws IOException {
        byte[] bytes;
        try (InputStream in = file.getFileName().toString().endsWith(".gz")
                ? new GZIPInputStream(Files.newInputStream(file)) : Files.newInputStream(file)) {
            bytes = in.readAllBytes();
        }
        String[] lines = new String(bytes, StandardCharsets.UTF_8).split("\n", -1);
        for (int i = 0, seen = 0; i < lines.length; i++) {
            if (!lines[i].isBlank() && seen++ == k) {
                return i + 1;
            }
        }
        return -1;
    }
}
