package org.taskbert.spi.loss;

import org.nd4j.autodiff.samediff.SDVariable;
import org.nd4j.autodiff.samediff.SameDiff;

/**
 * The losses tasks compose, each written once, as SameDiff expressions over a head's variables; each returns the
 * batch mean. ND4J M2.1's gaps are worked around here and nowhere else: its {@code logSumExp} op fails in its
 * backward pass (so {@link #logSumExp} is built from basic ops), and the diagonal of a score matrix is taken as the
 * row-wise product of its two factors (no differentiable {@code diag} for a dynamic batch).
 */
public final class Losses {

    private Losses() {}

    /** log Σ exp over dimension 1 of [N, C] logits, as [N]: max + log Σ exp(x − max). */
    public static SDVariable logSumExp(SDVariable logits) {
        SameDiff sd = logits.getSameDiff();
        SDVariable max = sd.max(logits, true, 1);
        SDVariable lse = max.add(sd.math.log(sd.sum(sd.math.exp(logits.sub(max)), true, 1)));
        return sd.reshape(lse, -1);
    }

    /** Cross-entropy of softmax([N, C] logits) against one-hot [N, C] targets. */
    public static SDVariable softmaxCrossEntropy(SDVariable logits, SDVariable oneHot) {
        SameDiff sd = logits.getSameDiff();
        return sd.mean(logSumExp(logits).sub(sd.sum(logits.mul(oneHot), 1)));
    }

    /**
     * In-batch contrastive (InfoNCE, MultipleNegativesRanking): row i of {@code u} against every row of {@code v},
     * scores {@code scale}·⟨u_i, v_j⟩, softmax cross-entropy with {@code v_i} the positive. {@code u} and {@code v}
     * are [N, H]; pass {@link #normalize}d rows and scale 1/temperature for cosine.
     */
    public static SDVariable inBatchContrastive(SDVariable u, SDVariable v, SDVariable scale) {
        SameDiff sd = u.getSameDiff();
        SDVariable scores = sd.mmul(u, v, false, true, false).mul(scale); // [N, N]
        SDVariable positive = sd.sum(u.mul(v), 1).mul(sd.reshape(scale, -1)); // the diagonal, [N]
        return sd.mean(logSumExp(scores).sub(positive));
    }

    /** As {@link #inBatchContrastive(SDVariable, SDVariable, SDVariable)} with a fixed scale. */
    public static SDVariable inBatchContrastive(SDVariable u, SDVariable v, double scale) {
        return inBatchContrastive(
                u,
                v,
                u.getSameDiff()
                        .constant(org.nd4j.linalg.factory.Nd4j.scalar((float) scale)
                                .reshape(1, 1)));
    }

    /** Both ways, u against v and v against u, averaged (CLIP's symmetric loss). */
    public static SDVariable symmetricInBatchContrastive(SDVariable u, SDVariable v, double scale) {
        return inBatchContrastive(u, v, scale)
                .add(inBatchContrastive(v, u, scale))
                .mul(0.5);
    }

    /** Binary cross-entropy of logits z [N, 1] against 0/1 targets y, in its stable form max(z,0) − z·y + log(1 + e^−|z|). */
    public static SDVariable binaryCrossEntropyWithLogits(SDVariable z, SDVariable y) {
        SameDiff sd = z.getSameDiff();
        return sd.mean(sd.nn.relu(z, 0)
                .sub(z.mul(y))
                .add(sd.math.log(sd.math.exp(sd.math.abs(z).neg()).add(1))));
    }

    /** SBERT's CosineSimilarityLoss: (cos(u_i, v_i) − target_i)², targets [N, 1]. */
    public static SDVariable cosineRegression(SDVariable u, SDVariable v, SDVariable target) {
        SDVariable err = cosine(u, v).sub(target);
        return u.getSameDiff().mean(err.mul(err));
    }

    /**
     * The hinge over a [N, C] cosine matrix: mean over every non-target (i, j) of max(0, cos_ij − cos_i,target + m);
     * {@code targets} is 1 at each row's target, 0 elsewhere.
     */
    public static SDVariable marginRanking(SDVariable cos, SDVariable targets, double margin) {
        SameDiff sd = cos.getSameDiff();
        SDVariable others = targets.rsub(1);
        SDVariable positive = sd.sum(cos.mul(targets), true, 1); // [N, 1]
        SDVariable hinge = sd.nn.relu(cos.sub(positive).add(margin), 0).mul(others);
        return sd.sum(hinge).div(sd.sum(others));
    }

    /** Triplet margin on cosine: max(0, cos(a, n) − cos(a, p) + margin), each [N, H]. */
    public static SDVariable tripletMargin(SDVariable anchor, SDVariable positive, SDVariable negative, double margin) {
        SameDiff sd = anchor.getSameDiff();
        return sd.mean(sd.nn.relu(
                cosine(anchor, negative).sub(cosine(anchor, positive)).add(margin), 0));
    }

    /** Row-wise cosine of [N, H] and [N, H], as [N, 1]. */
    public static SDVariable cosine(SDVariable u, SDVariable v) {
        SameDiff sd = u.getSameDiff();
        return sd.sum(u.mul(v), true, 1).div(sd.norm2(u, true, 1).mul(sd.norm2(v, true, 1)));
    }

    /** Each row divided by its L2 norm. */
    public static SDVariable normalize(SDVariable x) {
        return x.div(x.getSameDiff().norm2(x, true, 1));
    }
}
