package dev.unroll.kernel;

import java.util.function.IntConsumer;
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
     * Below this many multiply-adds a GEMM runs on the calling thread. Measured with the spinning
     * worker pool: two threads already win at 50×100×100 (7.3 → 4.9 µs) and 64×100×64 (5.8 → 3.7
     * µs); below ~2¹⁸ (about 1.5 µs of work) the hand-off is no longer worth it.
     */
    private static final long PARALLEL_GEMM_MIN_WORK = 1L << 18;
    /**
     * Packing one element of B costs about this many multiply-adds when B is read transposed (NT:
     * gathered), and {@link #PACK_COST} otherwise (copied rows). Every block packs the B it
     * needs, so a cut into row bands repeats the packing on every thread.
     */
    private static final long PACK_COST_TRANSPOSED = 24;
    private static final long PACK_COST = 3;

    private static final ThreadLocal<GemmTask> GEMM_TASKS = ThreadLocal.withInitial(GemmTask::new);

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

    /**
     * What the kernels run with on this machine, for reports: the provider, the caches the OS
     * reports ({@link CacheSizes}) and the GEMM's blocking. The blocking constants are fixed, not yet
     * derived from the caches (a derived value has to be measured on both kinds of CPU first): the
     * caches are printed beside them so that a figure can be read against the machine it came from.
     * One choice does follow L2, because it changes no result, only the speed: which left-over rows
     * of a product with packed weights go one at a time (on AVX2).
     */
    public static String tuning() {
        String blocking = PROVIDER.blocking();
        return "kernels " + PROVIDER.name() + "; caches " + CacheSizes.ofThisMachine() + (blocking.isEmpty() ? "" : "; gemm " + blocking);
    }

    /** The scalar reference provider (for parity tests and comparisons). */
    public static KernelProvider scalar() {
        return SCALAR;
    }

    /**
     * {@code C (+)= op(A)·op(B)} on {@link Parallel#threads()} threads (see
     * {@link KernelProvider#gemm}). C is cut into one block per thread, either bands of rows
     * (multiples of {@link #ROW_ALIGN}; the last band takes the leftover rows, so no band is shorter
     * than a tile, where the vector provider would switch method) or strips of columns (multiples
     * of {@link #COL_ALIGN}), whichever gives the smallest largest block, counting its
     * multiply-adds and its packing of B. The providers compute every element of C by the same
     * operations wherever its block starts, so the result does not depend on the thread count.
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
        long pack = op.transB ? PACK_COST_TRANSPOSED : PACK_COST;
        int bandRows = bands < 2 ? m : ceilDiv(m / ROW_ALIGN, bands) * ROW_ALIGN;
        int stripCols = strips < 2 ? n : ceilDiv(ceilDiv(n, COL_ALIGN), strips) * COL_ALIGN;
        long paddedRows = (long) ceilDiv(m, ROW_ALIGN) * ROW_ALIGN;
        long paddedCols = (long) ceilDiv(n, COL_ALIGN) * COL_ALIGN;
        long byRows = bands < 2 ? Long.MAX_VALUE : (bandRows + ROW_ALIGN) * paddedCols * k + paddedCols * k * pack;
        long byCols = strips < 2 ? Long.MAX_VALUE : paddedRows * stripCols * k + (long) stripCols * k * pack;
        GemmTask task = GEMM_TASKS.get();
        task.set(op, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
        try {
            if (byCols <= byRows) {
                task.cut(false, stripCols, ceilDiv(n, stripCols));
            } else {
                task.cut(true, bandRows, ceilDiv(m / ROW_ALIGN, bandRows / ROW_ALIGN));
            }
            Parallel.run(task.blocks, task);
        } finally {
            task.clear();
        }
    }

    /**
     * One parallel GEMM's arguments and cut, reused per calling thread so that a call allocates
     * nothing. Block {@code i} is band or strip {@code i}; the last band runs to row m.
     */
    private static final class GemmTask implements IntConsumer {
        private GemmOp op;
        private int m, n, k, aOff, lda, bOff, ldb, cOff, ldc;
        private float[] a, b, c;
        private boolean accumulate;
        private boolean byRows;
        private int blockSize;
        int blocks;

        void set(GemmOp op, int m, int n, int k, float[] a, int aOff, int lda, float[] b, int bOff, int ldb,
                 float[] c, int cOff, int ldc, boolean accumulate) {
            this.op = op;
            this.m = m;
            this.n = n;
            this.k = k;
            this.a = a;
            this.aOff = aOff;
            this.lda = lda;
            this.b = b;
            this.bOff = bOff;
            this.ldb = ldb;
            this.c = c;
            this.cOff = cOff;
            this.ldc = ldc;
            this.accumulate = accumulate;
        }

        void cut(boolean byRows, int blockSize, int blocks) {
            this.byRows = byRows;
            this.blockSize = blockSize;
            this.blocks = blocks;
        }

        /** Drops the array references, so that an idle task keeps no matrix alive. */
        void clear() {
            a = b = c = null;
        }

        @Override
        public void accept(int block) {
            int start = block * blockSize;
            if (byRows) {
                int rows = block == blocks - 1 ? m - start : blockSize;
                int aStart = aOff + (op.transA ? start : start * lda);
                PROVIDER.gemm(op, rows, n, k, a, aStart, lda, b, bOff, ldb, c, cOff + start * ldc, ldc, accumulate);
            } else {
                int cols = Math.min(blockSize, n - start);
                int bStart = bOff + (op.transB ? start * ldb : start);
                PROVIDER.gemm(op, m, cols, k, a, aOff, lda, b, bStart, ldb, c, cOff + start, ldc, accumulate);
            }
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
