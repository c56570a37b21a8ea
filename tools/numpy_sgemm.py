"""float32 GEMM throughput of numpy (OpenBLAS) for comparison with GemmThroughput.

Usage: env -u OPENBLAS_CORETYPE -u OPENBLAS_L2_SIZE OPENBLAS_NUM_THREADS=1 /usr/bin/python3 tools/numpy_sgemm.py SIZE
Warms up for ~1 s, times square products for ~2 s, prints the same last line as GemmThroughput.
"""
import sys
import time

import numpy as np

n = int(sys.argv[1]) if len(sys.argv) > 1 else 1024
rng = np.random.default_rng(1)
a = rng.uniform(-1, 1, (n, n)).astype(np.float32)
b = rng.uniform(-1, 1, (n, n)).astype(np.float32)
c = np.empty((n, n), dtype=np.float32)


def products(seconds):
    count, start = 0, time.perf_counter()
    while True:
        np.matmul(a, b, out=c)
        count += 1
        if time.perf_counter() - start >= seconds:
            return count, time.perf_counter() - start


products(1.0)
count, elapsed = products(2.0)
gflops = 2.0 * n ** 3 * count / elapsed / 1e9
print(f"numpy size={n} products={count} seconds={elapsed:.3f} GFLOP/s={gflops:.1f}")
print(f"gflops={gflops:.1f}")
