"""float32 GEMM throughput of a Python peer for comparison with GemmThroughput.

Usage: python tools/peer_sgemm.py SIZE THREADS {numpy,torch}
  numpy: np.matmul (the BLAS numpy was built with: Debian's links OpenBLAS, pip's wheel bundles its
         own); run it with OPENBLAS_NUM_THREADS=THREADS, as tools/measure-gemm.sh does.
  torch: torch.mm (PyTorch 2.x for the CPU: MKL), torch.set_num_threads(THREADS).
Warms up for ~1 s, times square products for ~2 s, prints the same last line as GemmThroughput.
"""
import sys
import time

import numpy as np

n = int(sys.argv[1]) if len(sys.argv) > 1 else 1024
threads = int(sys.argv[2]) if len(sys.argv) > 2 else 1
library = sys.argv[3] if len(sys.argv) > 3 else "numpy"
rng = np.random.default_rng(1)
a = rng.uniform(-1, 1, (n, n)).astype(np.float32)
b = rng.uniform(-1, 1, (n, n)).astype(np.float32)
c = np.empty((n, n), dtype=np.float32)
if library == "torch":
    import torch

    torch.set_num_threads(threads)
    a, b, c = torch.from_numpy(a), torch.from_numpy(b), torch.from_numpy(c)
    version = f"torch {torch.__version__}"

    def product():
        torch.mm(a, b, out=c)
elif library == "numpy":
    version = f"numpy {np.__version__}"

    def product():
        np.matmul(a, b, out=c)
else:
    sys.exit(f"unknown library {library!r}: numpy or torch")


def products(seconds):
    count, start = 0, time.perf_counter()
    while True:
        product()
        count += 1
        if time.perf_counter() - start >= seconds:
            return count, time.perf_counter() - start


products(1.0)
count, elapsed = products(2.0)
gflops = 2.0 * n ** 3 * count / elapsed / 1e9
print(f"{version} size={n} threads={threads} products={count} seconds={elapsed:.3f} GFLOP/s={gflops:.1f}")
print(f"gflops={gflops:.1f}")
