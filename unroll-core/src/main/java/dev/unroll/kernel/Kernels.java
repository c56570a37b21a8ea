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
     * {@link KernelProvider#gemm}). C is cut into one block per thread, either bands of rows
     * (multiples of {@link #ROW_ALIGN}; the last band takes the leftover rows, so no band is shorter
     * than a tile, where the vector provider would switch method) or strips of columns (multiples of {@link #COL_ALIGN}),
     * whichever leaves the largest block smallest; columns on a tie, since each thread then packs
     * only its own part of B. The providers compute every element of C by the same operations
     * wherever its block starts, so the result does not depend on the thread count.
     */
    public static void gemm(GemmOp op, int m, int n, int k,
                            float[] a, int aOff, int lda,
                            float[] b, int bOff, int ldb,
                            float[] c, int cOff, int ldc,
                            boolean accumulate) {
        int threads = Parallel.threads();
        int bands = Math.min(threads, m / ROW_ALIGN);
        int strips = Math.min(threads, ceilDiv(n, COL_ALIGN));
        if ((long) m * n * k < PARALLEL_GEMM_MIN_WORK || Math.max(bands, strips) < 2) {
            PROVIDER.gemm(op, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
            return;
        }
        // Largest block, in tiles of ROW_ALIGN × COL_ALIGN, for either cut.
        int tileRows = ceilDiv(m, ROW_ALIGN);
        int tileCols = ceilDiv(n, COL_ALIGN);
        long byRows = bands < 2 ? Long.MAX_VALUE : (long) ceilDiv(m / ROW_ALIGN, bands) * tileCols;
        long byCols = strips < 2 ? Long.MAX_VALUE : (long) tileRows * ceilDiv(tileCols, strips);
        if (byCols <= byRows) {
            int stripCols = ceilDiv(tileCols, strips) * COL_ALIGN;
            Parallel.run(ceilDiv(n, stripCols), s -> {
                int j0 = s * stripCols;
                int cols = Math.min(stripCols, n - j0);
                int bStart = bOff + (op.transB ? j0 * ldb : j0);
                PROVIDER.gemm(op, m, cols, k, a, aOff, lda, b, bStart, ldb, c, cOff + j0, ldc, accumulate);
            });
        } else {
            int wholeTiles = m / ROW_ALIGN;
            int bandTiles = ceilDiv(wholeTiles, bands);
            int used = ceilDiv(wholeTiles, bandTiles);
            Parallel.run(used, band -> {
                int r0 = band * bandTiles * ROW_ALIGN;
                int rows = band == used - 1 ? m - r0 : bandTiles * ROW_ALIGN;
                int aStart = aOff + (op.transA ? r0 : r0 * lda);
                PROVIDER.gemm(op, rows, n, k, a, aStart, lda, b, bOff, ldb, c, cOff + r0 * ldc, ldc, accumulate);
            });
        }
    }

    private static int ceilDiv(int x, int y) {
        return (x + y - 1) / y;
    }

    /** Row bands handed to threads start at multiples of this (the micro-kernel's tile height). */
    private static final int ROW_ALIGN = 6;
    /**
     * Column strips start at multiples of this: the vector provider's panel width at 512 bits, so
     * no strip begins with a ragged panel. Any split is correct; this one only wastes nothing.
     */
    private static final int COL_ALIGN = 64;
}
