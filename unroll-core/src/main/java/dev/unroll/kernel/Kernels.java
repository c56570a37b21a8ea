package dev.unroll.kernel;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Entry point to the kernels: the provider chosen once at start-up, and the multi-threaded GEMM.
 *
 * <p>The Vector API provider is used when the JVM can read {@code jdk.incubator.vector} (start it
 * with {@code --add-modules jdk.incubator.vector}; the {@code unroll} launcher does) and the system
 * property {@code unroll.simd} is not {@code false}. Otherwise the scalar reference is used. The
 * choice is logged once.
 */
public final class Kernels {
    private static final Logger LOG = LoggerFactory.getLogger(Kernels.class);
    private static final String VECTOR_MODULE = "jdk.incubator.vector";
    private static final String VECTOR_PROVIDER = "dev.unroll.kernel.VectorKernels";

    private static final KernelProvider SCALAR = new ScalarKernels();
    private static final KernelProvider PROVIDER = select();

    /**
     * Below this many multiply-adds a GEMM runs on the calling thread: waking a second thread
     * costs more than it saves (measured: 150×150×28 is faster on one thread).
     */
    private static final long PARALLEL_GEMM_MIN_WORK = 1L << 21;

    private Kernels() {
    }

    private static KernelProvider select() {
        if (!Boolean.parseBoolean(System.getProperty("unroll.simd", "true"))) {
            LOG.info("Unroll kernels: scalar (SIMD switched off by -Dunroll.simd=false)");
            return SCALAR;
        }
        if (ModuleLayer.boot().findModule(VECTOR_MODULE).isEmpty()) {
            LOG.info("Unroll kernels: scalar ({} not readable; run with --add-modules {} for SIMD)",
                    VECTOR_MODULE, VECTOR_MODULE);
            return SCALAR;
        }
        try {
            KernelProvider p = (KernelProvider) Class.forName(VECTOR_PROVIDER).getDeclaredConstructor().newInstance();
            LOG.info("Unroll kernels: {}", p.name());
            return p;
        } catch (ReflectiveOperationException | LinkageError e) {
            LOG.warn("Unroll kernels: scalar (Vector API provider failed to load: {})", e.toString());
            return SCALAR;
        }
    }

    /** The provider in use. */
    public static KernelProvider provider() {
        return PROVIDER;
    }

    /** The scalar reference provider (for parity tests and comparisons). */
    public static KernelProvider scalar() {
        return SCALAR;
    }

    /**
     * {@code C (+)= op(A)·op(B)} on {@link Parallel#threads()} threads (see
     * {@link KernelProvider#gemm}). The rows of C are split into fixed blocks and every element is
     * computed by the same instructions whichever thread runs it, so the result does not depend on
     * the thread count.
     */
    public static void gemm(GemmOp op, int m, int n, int k,
                            float[] a, int aOff, int lda,
                            float[] b, int bOff, int ldb,
                            float[] c, int cOff, int ldc,
                            boolean accumulate) {
        int threads = Parallel.threads();
        if (threads == 1 || (long) m * n * k < PARALLEL_GEMM_MIN_WORK || m < 2 * ROW_ALIGN) {
            PROVIDER.gemm(op, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
            return;
        }
        int blocks = Math.min(threads, m / ROW_ALIGN);
        int rowsPerBlock = ((m + blocks - 1) / blocks + ROW_ALIGN - 1) / ROW_ALIGN * ROW_ALIGN;
        Parallel.run(blocks, blk -> {
            int r0 = blk * rowsPerBlock;
            int rows = Math.min(rowsPerBlock, m - r0);
            if (rows > 0) {
                int aStart = aOff + (op.transA ? r0 : r0 * lda);
                PROVIDER.gemm(op, rows, n, k, a, aStart, lda, b, bOff, ldb, c, cOff + r0 * ldc, ldc, accumulate);
            }
        });
    }

    /** Row blocks handed to threads start at multiples of this (the micro-kernel's tile height). */
    private static final int ROW_ALIGN = 6;
}
