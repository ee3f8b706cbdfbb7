package org.taskbert.encoder;

import java.util.Arrays;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * The word table's gradient as the rows that batches used (a dense 30,522 × H gradient would be almost all zeros):
 * {@link #ids()} in the order first seen, their gradient rows in {@link #rows()}.
 */
public final class WordGradient {

    public static final String NAME = "embeddings.word_embeddings.weight";

    private final int h;
    private final int[] slot;
    private int[] ids = new int[256];
    private int count;
    private Arena rows;

    WordGradient(int vocab, int hidden) {
        this.h = hidden;
        this.slot = new int[vocab];
        Arrays.fill(slot, -1);
        this.rows = new Arena(256L * hidden);
    }

    void add(int id, float[] g, int off) {
        int s = slot[id];
        if (s < 0) {
            if (count == ids.length) {
                ids = Arrays.copyOf(ids, count * 2);
                Arena bigger = new Arena(2L * count * h);
                float[] all = new float[count * h];
                rows.read(0, all, 0, all.length);
                bigger.write(0, all, 0, all.length);
                rows = bigger;
            }
            s = count++;
            slot[id] = s;
            ids[s] = id;
        }
        long at = (long) s * h;
        float[] row = new float[h];
        rows.read(at, row, 0, h);
        for (int j = 0; j < h; j++) {
            row[j] += g[off + j];
        }
        rows.write(at, row, 0, h);
    }

    void clear() {
        for (int i = 0; i < count; i++) {
            slot[ids[i]] = -1;
        }
        rows.zero(0, (long) count * h);
        count = 0;
    }

    /** The word ids with a gradient row, in the order first seen. */
    public int[] ids() {
        return Arrays.copyOf(ids, count);
    }

    /** Their gradient rows, [ids, H], a view (scaled in place by clipping and accumulation averaging). */
    public INDArray rows() {
        return count == 0 ? null : rows.view(0, count, h);
    }
}
