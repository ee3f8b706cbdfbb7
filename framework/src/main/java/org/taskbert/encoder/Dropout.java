package org.taskbert.encoder;

import java.util.SplittableRandom;
import java.util.stream.IntStream;

/**
 * The inverted-dropout masks of one training micro-batch (0, or 1/(1−p) to keep), one per site and in the packed
 * layout: site 0 is the embeddings' output [N, H]; for layer l, site 1 + 3l the attention probabilities (for each
 * sequence s and head, L_s × L_s, sequence-major), 2 + 3l the attention output [N, H] and 3 + 3l the layer's
 * output [N, H]. Each site draws from its own generator, split in site order from the generator the caller seeds
 * per micro-batch, so the masks are a function of that seed alone (exact resume) and draw in parallel.
 */
public final class Dropout {

    private final float[][] masks;

    private Dropout(float[][] masks) {
        this.masks = masks;
    }

    /** No dropout anywhere (evaluation, inference, or p = 0). */
    public static final Dropout NONE = new Dropout(null);

    public static int sites(int layers) {
        return 1 + 3 * layers;
    }

    public static int probsSite(int layer) {
        return 1 + 3 * layer;
    }

    public static int attentionOutputSite(int layer) {
        return 2 + 3 * layer;
    }

    public static int outputSite(int layer) {
        return 3 + 3 * layer;
    }

    /** Masks with drop probability {@code p} for every site of a batch of {@code tokens}, {@code heads} heads. */
    public static Dropout draw(double p, Tokens tokens, int hidden, int heads, int layers, SplittableRandom rnd) {
        return draw(p, tokens, hidden, heads, layers, rnd, null);
    }

    /**
     * As {@link #draw(double, Tokens, int, int, int, SplittableRandom)}, refilling {@code reuse}'s arrays where they
     * are large enough (a step's masks are tens of megabytes: reused, they are not garbage). {@code reuse} must not
     * be used afterwards.
     */
    public static Dropout draw(
            double p, Tokens tokens, int hidden, int heads, int layers, SplittableRandom rnd, Dropout reuse) {
        if (p <= 0) {
            return NONE;
        }
        if (p >= 1) {
            throw new IllegalArgumentException("dropout must be in [0, 1), got " + p);
        }
        int n = tokens.count();
        long probs = 0;
        for (int s = 0; s < tokens.sequences(); s++) {
            probs += (long) heads * tokens.length(s) * tokens.length(s);
        }
        int sites = sites(layers);
        SplittableRandom[] gens = new SplittableRandom[sites];
        for (int i = 0; i < sites; i++) {
            gens[i] = rnd.split();
        }
        long threshold = (long) Math.floor(p * 4294967296.0); // drop when an unsigned 32-bit draw is below it
        float keep = (float) (1 / (1 - p));
        long probsSize = probs;
        float[][] masks = new float[sites][];
        IntStream.range(0, sites).parallel().forEach(i -> {
            int size = (int) (i > 0 && (i - 1) % 3 == 0 ? probsSize : (long) n * hidden);
            float[] old = reuse != null && reuse.masks != null && i < reuse.masks.length ? reuse.masks[i] : null;
            float[] m = old != null && old.length >= size ? old : new float[size];
            SplittableRandom g = gens[i];
            for (int j = 0; j < size; j += 2) {
                long bits = g.nextLong();
                m[j] = (bits & 0xFFFFFFFFL) < threshold ? 0f : keep;
                if (j + 1 < size) {
                    m[j + 1] = (bits >>> 32) < threshold ? 0f : keep;
                }
            }
            masks[i] = m;
        });
        return new Dropout(masks);
    }

    /** Explicit masks, one per site in the order above (null for a site without dropout); for tests. */
    public static Dropout of(float[][] masks) {
        return new Dropout(masks.clone());
    }

    /** The mask of a site, or null when the site is not dropped. */
    public float[] site(int i) {
        return masks == null ? null : masks[i];
    }
}
