package org.taskbert.encoder;

import static org.bytedeco.openblas.global.openblas_nolapack.CblasNoTrans;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasRowMajor;
import static org.bytedeco.openblas.global.openblas_nolapack.CblasTrans;

import org.bytedeco.openblas.global.openblas_nolapack;

/**
 * Row-major float32 GEMM on arena offsets: C = alpha·op(A)·op(B) + beta·C, with leading dimensions, so that a head's
 * columns of the packed Q/K/V rows are multiplied in place. The OpenBLAS that ND4J itself calls (its
 * {@code CpuLevel3} goes through the same {@code openblas_nolapack} binding), so both share one thread pool.
 */
public final class Blas {

    private Blas() {}

    private static final java.util.concurrent.atomic.LongAdder NANOS = new java.util.concurrent.atomic.LongAdder();

    /** Wall time spent inside GEMM calls since the last call of this method (summed over threads), in seconds. */
    public static double takeSeconds() {
        return NANOS.sumThenReset() / 1e9;
    }

    /** C[m, n] = alpha · op(A) · op(B) + beta · C; op(A) is [m, k], op(B) is [k, n]. */
    static void gemm(
            boolean transA,
            boolean transB,
            int m,
            int n,
            int k,
            float alpha,
            Arena a,
            long aOff,
            int lda,
            Arena b,
            long bOff,
            int ldb,
            float beta,
            Arena c,
            long cOff,
            int ldc) {
        if (m == 0 || n == 0) {
            return;
        }
        long start = System.nanoTime();
        openblas_nolapack.cblas_sgemm(
                CblasRowMajor,
                transA ? CblasTrans : CblasNoTrans,
                transB ? CblasTrans : CblasNoTrans,
                m,
                n,
                k,
                alpha,
                a.at(aOff),
                lda,
                b.at(bOff),
                ldb,
                beta,
                c.at(cOff),
                ldc);
        NANOS.add(System.nanoTime() - start);
    }
}
