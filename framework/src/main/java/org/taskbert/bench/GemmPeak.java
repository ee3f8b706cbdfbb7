package org.taskbert.bench;

import java.util.ArrayList;
import java.util.List;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;

/**
 * The float32 GEMM rate this process reaches at BERT's shapes, through the paths ND4J offers:
 * {@code Nd4j.gemm} into a preallocated output (BLAS alone) and {@code INDArray.mmul} (allocating
 * its output, as graph execution does), plus the attention's batched products.
 */
public final class GemmPeak {

    /** One measured shape and path. */
    public record Result(String path, String shape, double gflops) {}

    private GemmPeak() {}

    /**
     * Every path at every BERT shape for each token count (a batch's rows: 512, 1024 and 2048 cover batch 32 to 128
     * of STS sentences): the peak is the best sustained rate among them, not one lucky shape's.
     */
    public static List<Result> measure(int[] tokenCounts, int hidden, int intermediate, int seconds) {
        List<Result> out = new ArrayList<>();
        List<int[]> shapes = new ArrayList<>();
        for (int tokens : tokenCounts) {
            shapes.add(new int[] {tokens, hidden, hidden});
            shapes.add(new int[] {tokens, hidden, intermediate});
            shapes.add(new int[] {tokens, intermediate, hidden});
        }
        for (int[] s : shapes) {
            INDArray x = Nd4j.rand(DataType.FLOAT, s[0], s[1]);
            INDArray w = Nd4j.rand(DataType.FLOAT, s[1], s[2]);
            INDArray z = Nd4j.create(DataType.FLOAT, s[0], s[2]);
            double flops = 2.0 * s[0] * s[1] * s[2];
            String shape = s[0] + "x" + s[1] + "x" + s[2];
            out.add(new Result(
                    "Nd4j.gemm (preallocated)",
                    shape,
                    rate(flops, seconds, () -> Nd4j.gemm(x, w, z, false, false, 1.0, 0.0))));
            out.add(new Result("INDArray.mmul (allocating)", shape, rate(flops, seconds, () -> x.mmul(w))));
        }
        // Attention at batch 8 x 128 tokens, 12 heads of 64: QK^T and PV as batched products.
        INDArray q = Nd4j.rand(DataType.FLOAT, 8, 12, 128, 64);
        INDArray k = Nd4j.rand(DataType.FLOAT, 8, 12, 128, 64);
        INDArray p = Nd4j.rand(DataType.FLOAT, 8, 12, 128, 128);
        double qk = 2.0 * 8 * 12 * 128 * 128 * 64;
        out.add(new Result(
                "matmul op, batched",
                "8x12x(128x64 . 64x128)",
                rate(qk, seconds, () -> Nd4j.matmul(q, k, false, true, false))));
        out.add(new Result(
                "matmul op, batched",
                "8x12x(128x128 . 128x64)",
                rate(qk, seconds, () -> Nd4j.matmul(p, q, false, false, false))));
        return out;
    }

    private static double rate(double flops, int seconds, Runnable op) {
        for (int i = 0; i < 3; i++) {
            op.run();
        }
        long deadline = System.nanoTime() + seconds * 1_000_000_000L;
        long start = System.nanoTime();
        int n = 0;
        while (System.nanoTime() < deadline || n < 3) {
            op.run();
            n++;
        }
        return flops * n / ((System.nanoTime() - start) / 1e9) / 1e9;
    }
}
