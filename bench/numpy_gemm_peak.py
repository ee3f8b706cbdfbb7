"""The best float32 GEMM rate numpy's BLAS reaches on this machine at BERT-base's shapes, for BENCHMARKS.md's
fractions of the machine's peak beside taskbert bench's own (Nd4j.gemm) figure.

    OMP_WAIT_POLICY=PASSIVE python3 bench/numpy_gemm_peak.py [--seconds 2]

Prints one line per shape and the best, in GFLOP/s; the BLAS numpy loaded is named (threadpoolctl, where installed).
"""
import argparse
import time

import numpy as np


def rate(m, k, n, seconds):
    a = np.random.rand(m, k).astype(np.float32)
    b = np.random.rand(k, n).astype(np.float32)
    c = np.empty((m, n), dtype=np.float32)
    np.matmul(a, b, out=c)
    best, start = 0.0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        t = time.perf_counter()
        np.matmul(a, b, out=c)
        best = max(best, 2.0 * m * k * n / (time.perf_counter() - t) / 1e9)
    return best


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--seconds", type=float, default=2.0)
    a = ap.parse_args()
    try:
        from threadpoolctl import threadpool_info
        print("BLAS:", [(i.get("internal_api"), i.get("version"), i.get("num_threads")) for i in threadpool_info()])
    except ImportError:
        np.show_config()
    best = 0.0
    for tokens in (512, 1024, 2048):
        for k, n in ((768, 2304), (768, 768), (768, 3072), (3072, 768)):
            r = rate(tokens, k, n, a.seconds)
            best = max(best, r)
            print(f"[{tokens} x {k}] x [{k} x {n}]: {r:.1f} GFLOP/s")
    print(f"best: {best:.1f} GFLOP/s")


if __name__ == "__main__":
    main()
