package dev.unroll.kernel;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;

/**
 * The Vector API matrix product behind {@link VectorKernels#gemm}: a blocked, register-tiled GEMM
 * in the GotoBLAS style, shaped by what was measured on this project's machines (see
 * {@code docs/kernels.md}). Loaded only through {@link VectorKernels}, so only when
 * {@code jdk.incubator.vector} is readable.
 *
 * <h2>Layout</h2>
 * C is row-major and vectorised along N. For each k-block of {@link #KC} and n-block of {@link #NC},
 * B is packed into panels {@link #NR} columns wide ({@code NR} = 4 vectors), laid out {@code [k][NR]}
 * and zero-padded, so that a panel is one contiguous run whatever B's storage order. A is not
 * packed: the micro-kernel keeps {@link #MR} row offsets into A and broadcasts one element per row
 * and k (for {@code Aᵀ·B} those six elements are adjacent). The micro-kernel holds the
 * {@code MR × NR} tile of C in 24 vector registers and adds it to C once per k-block; where the
 * vector registers are too few for that ({@link #WIDE_TILE}), it does each half of a panel in turn.
 *
 * <h2>Arithmetic (why results do not depend on blocking or threads)</h2>
 * Every element of C, wherever its tile lies, is computed the same way: for each k-block
 * {@code [p0, p0+KC)} counted from k = 0, {@code s = fma(a[i][p], b[p][j], s)} from {@code s = 0} in
 * increasing p, then {@code C[i][j] = s} (first block, not accumulating) or {@code C[i][j] += s}.
 * Edge tiles compute surplus rows and zero columns that are never stored, so a tile's position
 * changes nothing. One exception: {@code NT} with fewer than {@link #MR} rows takes dot products
 * along k instead (see {@link #dotProducts}), still in an order that depends only on k; since
 * {@link Kernels#gemm} hands out bands of at least {@code MR} rows, a taller product never reaches
 * that path, and the result stays independent of the thread count.
 */
final class VectorGemm {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length();
    /** Tile height: rows of C per micro-kernel call. */
    static final int MR = 6;
    /** Panel width: columns of C per micro-kernel call (4 vectors). */
    static final int NR = 4 * L;
    /**
     * Whether the full {@code MR × NR} tile's 24 accumulators fit in the vector registers. They do
     * with AVX-512 (32 registers, 512-bit vectors); with AVX2's 16 registers of 256 bits they would
     * spill on every k, so there a panel is done as two halves of 12 accumulators each.
     */
    static final boolean WIDE_TILE = Boolean.parseBoolean(System.getProperty("unroll.gemm.wideTile",
            Boolean.toString(F.vectorBitSize() >= 512)));
    /** Depth of a k-block: a packed panel is KC × NR floats. */
    static final int KC = 256;
    /** Rows of A swept per packed block of B (keeps that slab of A in L2). */
    private static final int MC = 192;
    /**
     * Up to this many rows of C, a row-major B is not packed (see {@link #tiled}): 72 covers the
     * input-side weight gradients {@code [x | 1]ᵀ·dG} of up to 71 inputs (W5: 65 rows).
     */
    static final int IN_PLACE_MAX_ROWS = 72;
    /** Columns of B packed at once (a multiple of NR; KC × NC floats fit in L2). */
    private static final int NC = 1536;

    /**
     * Up to this many columns of C, an NT or TN product is computed transposed (see
     * {@link #transposedProduct}): a panel of {@link #NR} columns would be mostly zero padding.
     */
    private static final int NARROW = 8;

    /** Per-thread buffers, grown on first use and reused: no allocation per call after warm-up. */
    private static final class Workspace {
        float[] panels = new float[0];
        /** A block of A in micro-panels for {@link #microKernelHalf}: {@code MC × KC}. */
        float[] packedA = new float[0];
        /** One micro-tile of C, written by the kernel and added into C row by row. */
        final float[] tile = new float[MR * NR];
        /** Offsets of L consecutive rows of B, for gathering a column of B (NT). */
        final int[] rowStarts = new int[L];
        /** Lanes of one vector, for storing part of it. */
        final float[] lanes = new float[L];

        float[] panels(int size) {
            if (panels.length < size) {
                panels = new float[size];
            }
            return panels;
        }

        float[] packedA(int size) {
            if (packedA.length < size) {
                packedA = new float[size];
            }
            return packedA;
        }

        float[] transposed = new float[0];

        float[] transposed(int size) {
            if (transposed.length < size) {
                transposed = new float[size];
            }
            return transposed;
        }
    }

    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    private VectorGemm() {
    }

    /** The tile and blocks in words, e.g. {@code tile 6×16 (half panels, A packed), k-block 256, ...}. */
    static String blocking() {
        String tile = WIDE_TILE ? MR + "×" + NR + " (wide)" : MR + "×" + 2 * L + " (half panels of " + NR + ", A packed)";
        return "tile " + tile + ", k-block " + KC + ", row block " + MC + ", column block " + NC
                + ", B read in place up to " + IN_PLACE_MAX_ROWS + " rows"
                + (WIDE_TILE ? ", a single left-over row alone on a packed B"
                        : ", left-over rows one at a time on a packed B of up to " + ROW_REUSE_BYTES / 1024 + " KiB (L2 / 2)");
    }

    static void gemm(GemmOp op, int m, int n, int k,
                     float[] a, int aOff, int lda,
                     float[] b, int bOff, int ldb,
                     float[] c, int cOff, int ldc,
                     boolean accumulate) {
        if (m <= 0 || n <= 0) {
            return;
        }
        if (k <= 0) {
            if (!accumulate) {
                for (int i = 0; i < m; i++) {
                    Arrays.fill(c, cOff + i * ldc, cOff + i * ldc + n, 0f);
                }
            }
            return;
        }
        if (op.transB && m < MR) {
            dotProducts(m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate);
            return;
        }
        Workspace ws = WORKSPACE.get();
        if (n <= NARROW && m > n && op != GemmOp.NN) {
            transposedProduct(op, m, n, k, a, aOff, lda, b, bOff, ldb, c, cOff, ldc, accumulate, ws);
            return;
        }
        // A's element (i, p) is a[aOff + i * aRow + p * aStep] whatever its storage order.
        int aRow = op.transA ? 1 : lda;
        int aStep = op.transA ? lda : 1;
        if (m == 1) {
            rowTimesMatrix(n, k, a, aOff, aStep, b, bOff, ldb, c, cOff, accumulate, ws.lanes);
            return;
        }
        tiled(m, n, k, a, aOff, aRow, aStep, null, op.transB, b, bOff, ldb, c, cOff, ldc, accumulate, ws);
    }

    /**
     * A narrow product ({@code n ≤ NARROW} columns: a dense layer with one output, the gradient of
     * a one-feature input weight) as {@code Cᵀ = op(B)ᵀ·op(A)ᵀ}, where the narrow side becomes the
     * rows: NT stays NT (n dot products per row of A), TN stays TN (a few rows times A). The result
     * is computed into a buffer and added to C once per element. Whether this path is taken depends
     * on n only, never on how the rows of C are split between threads.
     */
    private static void transposedProduct(GemmOp op, int m, int n, int k, float[] a, int aOff, int lda,
                                          float[] b, int bOff, int ldb, float[] c, int cOff, int ldc,
                                          boolean accumulate, Workspace ws) {
        float[] t = ws.transposed(n * m);
        // op(B)ᵀ is B itself for NT ([n×k]), and B read transposed for TN; op(A)ᵀ likewise.
        gemm(op, n, m, k, b, bOff, ldb, a, aOff, lda, t, 0, m, false);
        for (int i = 0; i < m; i++) {
            int row = cOff + i * ldc;
            for (int j = 0; j < n; j++) {
                c[row + j] = accumulate ? c[row + j] + t[j * m + i] : t[j * m + i];
            }
        }
    }

    /** op(B) packed once into the panels {@link #tiled} reads, for products repeated with the same B. */
    static final class Packed implements PackedMatrix {
        final int k;
        final int n;
        /** Blocks by column block jc, then k-block pc; block (jc, pc) starts at {@code jc·k + pc·panels(jc)·NR}. */
        final float[] panels;

        Packed(int k, int n, float[] panels) {
            this.k = k;
            this.n = n;
            this.panels = panels;
        }

        @Override
        public int rows() {
            return k;
        }

        @Override
        public int cols() {
            return n;
        }
    }

    static Packed pack(boolean transB, int k, int n, float[] b, int bOff, int ldb) {
        int panelCols = (n + NR - 1) / NR * NR;
        float[] panels = new float[k * panelCols];
        int[] rowStarts = new int[L];
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            int panelCount = (nc + NR - 1) / NR;
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                float[] block = new float[panelCount * kc * NR];
                packB(transB, b, bOff, ldb, pc, kc, jc, nc, block, rowStarts);
                System.arraycopy(block, 0, panels, jc * k + pc * panelCount * NR, block.length);
            }
        }
        return new Packed(k, n, panels);
    }

    /** {@code C[m×n] (+)= A[m×k]·op(B)} with op(B) packed beforehand: the tiled path without packing. */
    static void gemm(int m, float[] a, int aOff, int lda, Packed b, float[] c, int cOff, int ldc, boolean accumulate) {
        if (m <= 0 || b.n <= 0) {
            return;
        }
        Workspace ws = WORKSPACE.get();
        int byRow = rowsByRow(m, b);
        if (byRow < m) {
            tiled(m - byRow, b.n, b.k, a, aOff, lda, 1, b, false, null, 0, 0, c, cOff, ldc, accumulate, ws);
        }
        for (int i = m - byRow; i < m; i++) {
            rowTimesPacked(a, aOff + i * lda, b, c, cOff + i * ldc, accumulate, ws.lanes);
        }
    }

    /** Bytes of packed B that stay in L2 from one row to the next: half of it, the rest for A, C and the rest. */
    private static final long ROW_REUSE_BYTES = CacheSizes.ofThisMachine().l2() / 2;

    /**
     * How many of the last rows of a product with a packed B go one at a time
     * ({@link #rowTimesPacked}, the same bits as in a tile) instead of in a last, partial row tile
     * of the half panels. That tile costs as much as a full one of {@link #MR} rows, and streams B
     * once; a row alone streams B once at the speed of the cache B is in. So one left-over row
     * always goes alone, and up to {@code MR − 1} do when B fits in half of L2 (the size the OS
     * reports), where a row costs about a sixth of a tile: a session batch of 2 of W1's classifier
     * (1×179×150 per step) took 87 µs per row in a tile, 43 µs alone, on a Zen 2 core. The wide
     * tile (AVX-512) has a kernel of half the cost for two or three rows and keeps its tiles for
     * them, but a single row there would do three rows' work: it goes alone too (a session's step
     * at batch 1, W4b: 1.55 → 1.10 µs per value on an Intel Xeon core with AVX-512).
     */
    static int rowsByRow(int m, Packed b) {
        int left = m % MR;
        if (left <= 1) {
            return left;
        }
        return !WIDE_TILE && (long) b.k * b.n * Float.BYTES <= ROW_REUSE_BYTES ? left : 0;
    }

    /**
     * {@code c[0..n) (+)= a · B} for one row {@code a} and a packed B (a step of one session, batch 1):
     * the tiled path's per-element FMA sequence and k-blocks, so the same bits as that row in a taller
     * product. The tiled path runs one panel at a time: four FMA chains, stalled by the FMA's latency
     * (1×150×179: 4.1 µs on a Zen 2 core). Three panels at a time make twelve chains, as many as
     * AVX2's 16 registers hold beside the broadcast (1.3 µs); the last one or two panels go two or
     * one at a time. Each width is a method of its own, as the micro-kernels are.
     */
    private static void rowTimesPacked(float[] a, int aOff, Packed b, float[] c, int cOff, boolean accumulate, float[] lanes) {
        int n = b.n;
        int k = b.k;
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            int panelCount = (nc + NR - 1) / NR;
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                boolean add = accumulate || pc > 0;
                int base = jc * k + pc * panelCount * NR;
                int panel = 0;
                for (; panel + 2 < panelCount; panel += 3) {
                    threePanels(a, aOff + pc, b.panels, base + panel * kc * NR, kc, c, cOff + jc + panel * NR,
                            Math.min(3 * NR, nc - panel * NR), add, lanes);
                }
                for (; panel + 1 < panelCount; panel += 2) {
                    twoPanels(a, aOff + pc, b.panels, base + panel * kc * NR, kc, c, cOff + jc + panel * NR,
                            Math.min(2 * NR, nc - panel * NR), add, lanes);
                }
                if (panel < panelCount) {
                    onePanel(a, aOff + pc, b.panels, base + panel * kc * NR, kc, c, cOff + jc + panel * NR, nc - panel * NR,
                            add, lanes);
                }
            }
        }
    }

    /** Two adjacent panels of one k-block times one row: {@code cols} (≤ 2·NR) columns of C from {@code c0}. */
    private static void twoPanels(float[] a, int a0, float[] panels, int p0, int kc, float[] c, int c0, int cols,
                                  boolean add, float[] lanes) {
        int q0 = p0 + kc * NR;
        FloatVector s0 = FloatVector.zero(F), s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0, s6 = s0, s7 = s0;
        for (int p = 0, bp = p0, bq = q0; p < kc; p++, bp += NR, bq += NR) {
            FloatVector av = FloatVector.broadcast(F, a[a0 + p]);
            s0 = av.fma(FloatVector.fromArray(F, panels, bp), s0);
            s1 = av.fma(FloatVector.fromArray(F, panels, bp + L), s1);
            s2 = av.fma(FloatVector.fromArray(F, panels, bp + 2 * L), s2);
            s3 = av.fma(FloatVector.fromArray(F, panels, bp + 3 * L), s3);
            s4 = av.fma(FloatVector.fromArray(F, panels, bq), s4);
            s5 = av.fma(FloatVector.fromArray(F, panels, bq + L), s5);
            s6 = av.fma(FloatVector.fromArray(F, panels, bq + 2 * L), s6);
            s7 = av.fma(FloatVector.fromArray(F, panels, bq + 3 * L), s7);
        }
        storeColumns(s0, c, c0, cols, add, lanes);
        storeColumns(s1, c, c0 + L, cols - L, add, lanes);
        storeColumns(s2, c, c0 + 2 * L, cols - 2 * L, add, lanes);
        storeColumns(s3, c, c0 + 3 * L, cols - 3 * L, add, lanes);
        storeColumns(s4, c, c0 + NR, cols - NR, add, lanes);
        storeColumns(s5, c, c0 + NR + L, cols - NR - L, add, lanes);
        storeColumns(s6, c, c0 + NR + 2 * L, cols - NR - 2 * L, add, lanes);
        storeColumns(s7, c, c0 + NR + 3 * L, cols - NR - 3 * L, add, lanes);
    }

    /** Three adjacent panels of one k-block times one row: {@code cols} (≤ 3·NR) columns of C from {@code c0}. */
    private static void threePanels(float[] a, int a0, float[] panels, int p0, int kc, float[] c, int c0, int cols,
                                  boolean add, float[] lanes) {
        int q0 = p0 + kc * NR;
        int r0 = q0 + kc * NR;
        FloatVector s0 = FloatVector.zero(F), s1 = s0, s2 = s0, s3 = s0, s4 = s0, s5 = s0, s6 = s0, s7 = s0;
        FloatVector s8 = s0, s9 = s0, s10 = s0, s11 = s0;
        for (int p = 0, bp = p0, bq = q0, br = r0; p < kc; p++, bp += NR, bq += NR, br += NR) {
            FloatVector av = FloatVector.broadcast(F, a[a0 + p]);
            s0 = av.fma(FloatVector.fromArray(F, panels, bp), s0);
            s1 = av.fma(FloatVector.fromArray(F, panels, bp + L), s1);
            s2 = av.fma(FloatVector.fromArray(F, panels, bp + 2 * L), s2);
            s3 = av.fma(FloatVector.fromArray(F, panels, bp + 3 * L), s3);
            s4 = av.fma(FloatVector.fromArray(F, panels, bq), s4);
            s5 = av.fma(FloatVector.fromArray(F, panels, bq + L), s5);
            s6 = av.fma(FloatVector.fromArray(F, panels, bq + 2 * L), s6);
            s7 = av.fma(FloatVector.fromArray(F, panels, bq + 3 * L), s7);
            s8 = av.fma(FloatVector.fromArray(F, panels, br), s8);
            s9 = av.fma(FloatVector.fromArray(F, panels, br + L), s9);
            s10 = av.fma(FloatVector.fromArray(F, panels, br + 2 * L), s10);
            s11 = av.fma(FloatVector.fromArray(F, panels, br + 3 * L), s11);
        }
        storeColumns(s0, c, c0, cols, add, lanes);
        storeColumns(s1, c, c0 + L, cols - L, add, lanes);
        storeColumns(s2, c, c0 + 2 * L, cols - 2 * L, add, lanes);
        storeColumns(s3, c, c0 + 3 * L, cols - 3 * L, add, lanes);
        storeColumns(s4, c, c0 + NR, cols - NR, add, lanes);
        storeColumns(s5, c, c0 + NR + L, cols - NR - L, add, lanes);
        storeColumns(s6, c, c0 + NR + 2 * L, cols - NR - 2 * L, add, lanes);
        storeColumns(s7, c, c0 + NR + 3 * L, cols - NR - 3 * L, add, lanes);
        storeColumns(s8, c, c0 + 2 * NR, cols - 2 * NR, add, lanes);
        storeColumns(s9, c, c0 + 2 * NR + L, cols - 2 * NR - L, add, lanes);
        storeColumns(s10, c, c0 + 2 * NR + 2 * L, cols - 2 * NR - 2 * L, add, lanes);
        storeColumns(s11, c, c0 + 2 * NR + 3 * L, cols - 2 * NR - 3 * L, add, lanes);
    }

    /** One panel of one k-block times one row: {@code cols} (≤ NR) columns of C from {@code c0}. */
    private static void onePanel(float[] a, int a0, float[] panels, int p0, int kc, float[] c, int c0, int cols,
                                 boolean add, float[] lanes) {
        FloatVector s0 = FloatVector.zero(F), s1 = s0, s2 = s0, s3 = s0;
        for (int p = 0, bp = p0; p < kc; p++, bp += NR) {
            FloatVector av = FloatVector.broadcast(F, a[a0 + p]);
            s0 = av.fma(FloatVector.fromArray(F, panels, bp), s0);
            s1 = av.fma(FloatVector.fromArray(F, panels, bp + L), s1);
            s2 = av.fma(FloatVector.fromArray(F, panels, bp + 2 * L), s2);
            s3 = av.fma(FloatVector.fromArray(F, panels, bp + 3 * L), s3);
        }
        storeColumns(s0, c, c0, cols, add, lanes);
        storeColumns(s1, c, c0 + L, cols - L, add, lanes);
        storeColumns(s2, c, c0 + 2 * L, cols - 2 * L, add, lanes);
        storeColumns(s3, c, c0 + 3 * L, cols - 3 * L, add, lanes);
    }

    /** Stores (or adds) the first {@code cols} lanes of {@code s} (all of them when cols ≥ L, none when cols ≤ 0) at {@code c[at..]}. */
    private static void storeColumns(FloatVector s, float[] c, int at, int cols, boolean add, float[] lanes) {
        if (cols >= L) {
            (add ? FloatVector.fromArray(F, c, at).add(s) : s).intoArray(c, at);
        } else if (cols > 0) {
            s.intoArray(lanes, 0);
            for (int l = 0; l < cols; l++) {
                c[at + l] = add ? c[at + l] + lanes[l] : lanes[l];
            }
        }
    }

    /**
     * The blocked product. B's panels come from {@code prepacked} when given, otherwise each
     * (k-block, n-block) of {@code op(B)} is packed into the workspace first.
     */
    private static void tiled(int m, int n, int k, float[] a, int aOff, int aRow, int aStep,
                              Packed prepacked, boolean transB, float[] b, int bOff, int ldb,
                              float[] c, int cOff, int ldc, boolean accumulate, Workspace ws) {
        // With few rows of A, each panel of B serves few micro-tiles: packing it would cost about
        // as much as the product, so a B stored row-major is read where it lies.
        boolean inPlace = prepacked == null && !transB && m <= IN_PLACE_MAX_ROWS;
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            int panelCount = (nc + NR - 1) / NR;
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                float[] packed;
                int base;
                if (prepacked != null) {
                    packed = prepacked.panels;
                    base = jc * k + pc * panelCount * NR;
                } else if (inPlace) {
                    // Whole panels are read in place below; only a ragged last panel is packed.
                    packed = ws.panels(kc * NR);
                    base = 0;
                    int whole = nc / NR * NR;
                    if (whole < nc) {
                        packB(false, b, bOff, ldb, pc, kc, jc + whole, nc - whole, packed, ws.rowStarts);
                    }
                } else {
                    packed = ws.panels(panelCount * kc * NR);
                    base = 0;
                    packB(transB, b, bOff, ldb, pc, kc, jc, nc, packed, ws.rowStarts);
                }
                boolean add = accumulate || pc > 0;
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    if (!WIDE_TILE) {
                        halfPanels(mc, nc, kc, a, aOff + ic * aRow + pc * aStep, aRow, aStep, packed, base, panelCount, inPlace,
                                b, bOff + pc * ldb + jc, ldb, c, cOff + ic * ldc + jc, ldc, add, ws);
                        continue;
                    }
                    for (int panel = 0; panel < panelCount; panel++) {
                        int cols = Math.min(NR, nc - panel * NR);
                        // A ragged last panel of at most two vectors takes the half-width kernel, one of
                        // three (e.g. 36 of n = 100) the three-vector kernel.
                        boolean narrow = cols <= 2 * L;
                        boolean threeVectors = !narrow && cols <= 3 * L;
                        float[] src = packed;
                        int p0 = base + panel * kc * NR;
                        int step = NR;
                        if (inPlace && cols == NR) {
                            src = b;
                            p0 = bOff + pc * ldb + jc + panel * NR;
                            step = ldb;
                        } else if (inPlace) {
                            p0 = 0;
                        }
                        for (int ir = 0; ir < mc; ir += MR) {
                            int i = ic + ir;
                            int rows = Math.min(MR, mc - ir);
                            int a0 = aOff + i * aRow + pc * aStep;
                            int c0 = cOff + i * ldc + jc + panel * NR;
                            if (narrow) {
                                microKernelNarrow(a, a0, aRow, aStep, rows, src, p0, step, kc, ws.tile, 0, NR, false);
                            } else if (rows <= MR / 2) {
                                microKernelShort(a, a0, aRow, aStep, rows, src, p0, step, kc, ws.tile);
                            } else if (threeVectors) {
                                microKernelThree(a, a0, aRow, aStep, rows, src, p0, step, kc, ws.tile);
                            } else if (rows == MR && cols == NR && !add) {
                                microKernel(a, a0, aRow, aStep, rows, src, p0, step, kc, null, c, c0, ldc);
                                continue;
                            } else {
                                microKernel(a, a0, aRow, aStep, rows, src, p0, step, kc, ws.tile, null, 0, 0);
                            }
                            addTile(ws.tile, rows, cols, c, c0, ldc, add);
                        }
                    }
                }
            }
        }
    }

    /**
     * One k-block of one row block without the wide tile ({@code !WIDE_TILE}, e.g. AVX2): each panel
     * of B is done as two halves of 2 vectors, each half down all the row tiles. From packed panels
     * ({@code packed} from {@code base}) the halves run on A packed into micro-panels
     * ({@link #microKernelHalf}); whole panels read in place from B ({@code inPlace}, from {@code b0},
     * rows {@code ldb} apart) run on A in place ({@link #microKernelNarrow}), since a kernel reading
     * B at a variable stride gains nothing from packed A.
     */
    private static void halfPanels(int mc, int nc, int kc, float[] a, int a0, int aRow, int aStep,
                                   float[] packed, int base, int panelCount, boolean inPlace, float[] b, int b0, int ldb,
                                   float[] c, int c0, int ldc, boolean add, Workspace ws) {
        float[] ap = null;
        for (int panel = 0; panel < panelCount; panel++) {
            int cols = Math.min(NR, nc - panel * NR);
            boolean fromB = inPlace && cols == NR;
            // In place, only the ragged last panel is packed, alone, at 0.
            int p0 = fromB ? b0 + panel * NR : inPlace ? 0 : base + panel * kc * NR;
            if (!fromB && ap == null) {
                ap = ws.packedA(MC * KC);
                packA(a, a0, aRow, aStep, mc, kc, ap);
            }
            for (int half = 0; half * 2 * L < cols; half++) {
                int halfCols = Math.min(2 * L, cols - half * 2 * L);
                int q0 = p0 + half * 2 * L;
                for (int ir = 0; ir < mc; ir += MR) {
                    int rows = Math.min(MR, mc - ir);
                    int out = c0 + ir * ldc + panel * NR + half * 2 * L;
                    boolean direct = rows == MR && halfCols == 2 * L;
                    float[] o = direct ? c : ws.tile;
                    int oOff = direct ? out : 0;
                    int ldo = direct ? ldc : NR;
                    if (fromB) {
                        microKernelNarrow(a, a0 + ir * aRow, aRow, aStep, rows, b, q0, ldb, kc, o, oOff, ldo, direct && add);
                    } else {
                        microKernelHalf(ap, ir * kc, packed, q0, kc, o, oOff, ldo, direct && add);
                    }
                    if (!direct) {
                        addTile(ws.tile, rows, halfCols, c, out, ldc, add);
                    }
                }
            }
        }
    }

    /**
     * Packs the {@code mc × kc} block of A at {@code a0} (row r, column p at {@code a0 + r·aRow +
     * p·aStep}) into micro-panels of {@link #MR} rows: row tile t's element (p, r) at
     * {@code t·MR·kc + p·MR + r}. Rows past mc repeat the last real row, as in {@link #microKernel}.
     */
    private static void packA(float[] a, int a0, int aRow, int aStep, int mc, int kc, float[] dst) {
        for (int ir = 0; ir < mc; ir += MR) {
            int last = Math.min(MR, mc - ir) - 1;
            int s0 = a0 + ir * aRow;
            int s1 = a0 + (ir + Math.min(1, last)) * aRow;
            int s2 = a0 + (ir + Math.min(2, last)) * aRow;
            int s3 = a0 + (ir + Math.min(3, last)) * aRow;
            int s4 = a0 + (ir + Math.min(4, last)) * aRow;
            int s5 = a0 + (ir + Math.min(5, last)) * aRow;
            // One k at a time: six loads (from six rows of A, or six neighbours of a transposed A's
            // column) and six consecutive stores; with A row-major (aStep 1) the loads are indexed by
            // p plus a constant, so C2 drops their bounds checks.
            for (int p = 0, d = ir * kc; p < kc; p++, d += MR) {
                int at = p * aStep;
                dst[d] = a[s0 + at];
                dst[d + 1] = a[s1 + at];
                dst[d + 2] = a[s2 + at];
                dst[d + 3] = a[s3 + at];
                dst[d + 4] = a[s4 + at];
                dst[d + 5] = a[s5 + at];
            }
        }
    }

    /**
     * {@code out[r][0..2L) = Σ_p A[r][p] · panel[p][0..2L)} for one row tile of packed A (from
     * {@code a0}: MR values per k) over one k-block: 12 accumulators, two loads and six broadcasts per
     * k, which fit AVX2's 16 registers. A's index moves by the constant MR and B's (a packed panel) by
     * the constant NR, so C2 checks bounds twice per k for A and keeps the loop's indices in
     * registers, where A read in place at a variable stride took a check per broadcast and spilled
     * six row offsets to the stack (55 instructions per 12 FMAs, 40 with A packed): 256³ on one Zen 2
     * core +10%, B's constant stride another +9%. (Unrolling two k by hand made C2 spill
     * accumulators: slower.) Same per-element arithmetic as every other kernel here. With
     * {@code add} the sums are added to {@code out} (a later k-block, or an accumulating product)
     * as {@link #addTile} adds them, without the round trip through the scratch tile: W1, W5 and W6
     * +2–4% on one Zen 2 core, with the six-loads-per-k {@link #packA}.
     */
    private static void microKernelHalf(float[] a, int a0, float[] panel, int p0, int kc, float[] out, int o0, int ldo, boolean add) {
        FloatVector c00 = FloatVector.zero(F), c01 = c00;
        FloatVector c10 = c00, c11 = c00;
        FloatVector c20 = c00, c21 = c00;
        FloatVector c30 = c00, c31 = c00;
        FloatVector c40 = c00, c41 = c00;
        FloatVector c50 = c00, c51 = c00;
        for (int p = 0; p < kc; p++) {
            int ak = a0 + p * MR;
            int bp = p0 + p * NR;
            FloatVector b0 = FloatVector.fromArray(F, panel, bp);
            FloatVector b1 = FloatVector.fromArray(F, panel, bp + L);
            FloatVector av = FloatVector.broadcast(F, a[ak]);
            c00 = av.fma(b0, c00); c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(F, a[ak + 1]);
            c10 = av.fma(b0, c10); c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(F, a[ak + 2]);
            c20 = av.fma(b0, c20); c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(F, a[ak + 3]);
            c30 = av.fma(b0, c30); c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(F, a[ak + 4]);
            c40 = av.fma(b0, c40); c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(F, a[ak + 5]);
            c50 = av.fma(b0, c50); c51 = av.fma(b1, c51);
        }
        int o1 = o0 + ldo, o2 = o1 + ldo, o3 = o2 + ldo, o4 = o3 + ldo, o5 = o4 + ldo;
        if (add) {
            // C += s, as addTile adds a tile: the same sum, without the round trip through the tile.
            c00 = c00.add(FloatVector.fromArray(F, out, o0)); c01 = c01.add(FloatVector.fromArray(F, out, o0 + L));
            c10 = c10.add(FloatVector.fromArray(F, out, o1)); c11 = c11.add(FloatVector.fromArray(F, out, o1 + L));
            c20 = c20.add(FloatVector.fromArray(F, out, o2)); c21 = c21.add(FloatVector.fromArray(F, out, o2 + L));
            c30 = c30.add(FloatVector.fromArray(F, out, o3)); c31 = c31.add(FloatVector.fromArray(F, out, o3 + L));
            c40 = c40.add(FloatVector.fromArray(F, out, o4)); c41 = c41.add(FloatVector.fromArray(F, out, o4 + L));
            c50 = c50.add(FloatVector.fromArray(F, out, o5)); c51 = c51.add(FloatVector.fromArray(F, out, o5 + L));
        }
        c00.intoArray(out, o0); c01.intoArray(out, o0 + L);
        c10.intoArray(out, o1); c11.intoArray(out, o1 + L);
        c20.intoArray(out, o2); c21.intoArray(out, o2 + L);
        c30.intoArray(out, o3); c31.intoArray(out, o3 + L);
        c40.intoArray(out, o4); c41.intoArray(out, o4 + L);
        c50.intoArray(out, o5); c51.intoArray(out, o5 + L);
    }

    /**
     * Packs {@code op(B)[pc, pc+kc) × [jc, jc+nc)} into consecutive {@code kc × NR} panels, padding
     * the last panel's missing columns with zeros. For NT the panel is B's transpose: each vector of
     * a panel row is gathered from L rows of B ({@code rowStarts} holds their offsets).
     */
    private static void packB(boolean transB, float[] b, int bOff, int ldb,
                              int pc, int kc, int jc, int nc, float[] dst, int[] rowStarts) {
        if (transB) {
            for (int l = 0; l < L; l++) {
                rowStarts[l] = l * ldb;
            }
        }
        for (int j0 = jc, base = 0; j0 < jc + nc; j0 += NR, base += kc * NR) {
            int cols = Math.min(NR, jc + nc - j0);
            int gathered = transB ? cols - cols % L : 0;
            for (int p = 0; p < kc; p++) {
                int d = base + p * NR;
                if (transB) {
                    // B is [n×k]: column j of op(B) is row j of B.
                    int s = bOff + j0 * ldb + pc + p;
                    for (int j = 0; j < gathered; j += L) {
                        FloatVector.fromArray(F, b, s + j * ldb, rowStarts, 0).intoArray(dst, d + j);
                    }
                    for (int j = gathered; j < cols; j++) {
                        dst[d + j] = b[s + j * ldb];
                    }
                } else {
                    System.arraycopy(b, bOff + (pc + p) * ldb + j0, dst, d, cols);
                }
                if (cols < NR) {
                    Arrays.fill(dst, d + cols, d + NR, 0f);
                }
            }
        }
    }

    /**
     * The register tile: {@code tile[r][0..NR) = Σ_p A[r][p] · panel[p][0..NR)} for the MR rows
     * starting at {@code a0}, over one k-block. Rows at or past {@code rows} repeat the last real row
     * (their results are never stored), so every call runs the same 24-FMA loop body. A whole tile
     * that sets C ({@code tile} null) goes from the registers straight into C at {@code c0},
     * saving the round trip through the scratch tile: +3% on W1 and W6, whose input projections
     * have k = 29. Adding into C this way too made JDK 17's C2 give up on the method (100× slower
     * workloads), so tiles that add still go through {@link #addTile}.
     */
    private static void microKernel(float[] a, int a0, int aRow, int aStep, int rows,
                                    float[] panel, int p0, int panelStep, int kc, float[] tile,
                                    float[] c, int c0, int ldc) {
        int r0 = a0;
        int r1 = rowStart(a0, 1, rows, aRow);
        int r2 = rowStart(a0, 2, rows, aRow);
        int r3 = rowStart(a0, 3, rows, aRow);
        int r4 = rowStart(a0, 4, rows, aRow);
        int r5 = rowStart(a0, 5, rows, aRow);
        // 24 plain locals: C2 keeps each in a register (an array of vectors would spill).
        FloatVector c00 = FloatVector.zero(F), c01 = c00, c02 = c00, c03 = c00;
        FloatVector c10 = c00, c11 = c00, c12 = c00, c13 = c00;
        FloatVector c20 = c00, c21 = c00, c22 = c00, c23 = c00;
        FloatVector c30 = c00, c31 = c00, c32 = c00, c33 = c00;
        FloatVector c40 = c00, c41 = c00, c42 = c00, c43 = c00;
        FloatVector c50 = c00, c51 = c00, c52 = c00, c53 = c00;
        for (int p = 0, ak = 0, bp = p0; p < kc; p++, ak += aStep, bp += panelStep) {
            FloatVector b0 = FloatVector.fromArray(F, panel, bp);
            FloatVector b1 = FloatVector.fromArray(F, panel, bp + L);
            FloatVector b2 = FloatVector.fromArray(F, panel, bp + 2 * L);
            FloatVector b3 = FloatVector.fromArray(F, panel, bp + 3 * L);
            FloatVector av = FloatVector.broadcast(F, a[r0 + ak]);
            c00 = av.fma(b0, c00); c01 = av.fma(b1, c01); c02 = av.fma(b2, c02); c03 = av.fma(b3, c03);
            av = FloatVector.broadcast(F, a[r1 + ak]);
            c10 = av.fma(b0, c10); c11 = av.fma(b1, c11); c12 = av.fma(b2, c12); c13 = av.fma(b3, c13);
            av = FloatVector.broadcast(F, a[r2 + ak]);
            c20 = av.fma(b0, c20); c21 = av.fma(b1, c21); c22 = av.fma(b2, c22); c23 = av.fma(b3, c23);
            av = FloatVector.broadcast(F, a[r3 + ak]);
            c30 = av.fma(b0, c30); c31 = av.fma(b1, c31); c32 = av.fma(b2, c32); c33 = av.fma(b3, c33);
            av = FloatVector.broadcast(F, a[r4 + ak]);
            c40 = av.fma(b0, c40); c41 = av.fma(b1, c41); c42 = av.fma(b2, c42); c43 = av.fma(b3, c43);
            av = FloatVector.broadcast(F, a[r5 + ak]);
            c50 = av.fma(b0, c50); c51 = av.fma(b1, c51); c52 = av.fma(b2, c52); c53 = av.fma(b3, c53);
        }
        if (tile == null) {
            int o0 = c0, o1 = o0 + ldc, o2 = o1 + ldc, o3 = o2 + ldc, o4 = o3 + ldc, o5 = o4 + ldc;
            c00.intoArray(c, o0); c01.intoArray(c, o0 + L); c02.intoArray(c, o0 + 2 * L); c03.intoArray(c, o0 + 3 * L);
            c10.intoArray(c, o1); c11.intoArray(c, o1 + L); c12.intoArray(c, o1 + 2 * L); c13.intoArray(c, o1 + 3 * L);
            c20.intoArray(c, o2); c21.intoArray(c, o2 + L); c22.intoArray(c, o2 + 2 * L); c23.intoArray(c, o2 + 3 * L);
            c30.intoArray(c, o3); c31.intoArray(c, o3 + L); c32.intoArray(c, o3 + 2 * L); c33.intoArray(c, o3 + 3 * L);
            c40.intoArray(c, o4); c41.intoArray(c, o4 + L); c42.intoArray(c, o4 + 2 * L); c43.intoArray(c, o4 + 3 * L);
            c50.intoArray(c, o5); c51.intoArray(c, o5 + L); c52.intoArray(c, o5 + 2 * L); c53.intoArray(c, o5 + 3 * L);
            return;
        }
        c00.intoArray(tile, 0); c01.intoArray(tile, L); c02.intoArray(tile, 2 * L); c03.intoArray(tile, 3 * L);
        c10.intoArray(tile, NR); c11.intoArray(tile, NR + L); c12.intoArray(tile, NR + 2 * L); c13.intoArray(tile, NR + 3 * L);
        c20.intoArray(tile, 2 * NR); c21.intoArray(tile, 2 * NR + L); c22.intoArray(tile, 2 * NR + 2 * L); c23.intoArray(tile, 2 * NR + 3 * L);
        c30.intoArray(tile, 3 * NR); c31.intoArray(tile, 3 * NR + L); c32.intoArray(tile, 3 * NR + 2 * L); c33.intoArray(tile, 3 * NR + 3 * L);
        c40.intoArray(tile, 4 * NR); c41.intoArray(tile, 4 * NR + L); c42.intoArray(tile, 4 * NR + 2 * L); c43.intoArray(tile, 4 * NR + 3 * L);
        c50.intoArray(tile, 5 * NR); c51.intoArray(tile, 5 * NR + L); c52.intoArray(tile, 5 * NR + 2 * L); c53.intoArray(tile, 5 * NR + 3 * L);
    }

    /** Where a tile's row {@code r} of A starts: rows at or past {@code rows} repeat the last real row. */
    private static int rowStart(int a0, int r, int rows, int aRow) {
        return a0 + Math.min(r, rows - 1) * aRow;
    }

    /**
     * {@link #microKernel} for two vectors of a panel: the ragged last panel whose real columns fit
     * in its first two (e.g. 22 of n = 150), with the wide tile. It reads A in place, as the wide
     * tile's path does (it packs no A); {@link #microKernelHalf} is the same tile on packed A.
     * Half the FMAs, the same per-element arithmetic, so the result is bit-identical. Its MR rows go
     * to {@code out} from {@code o0}, {@code ldo} apart (the scratch tile, or C itself for a whole
     * tile that sets C). A method of its own, so that C2 compiles each kernel separately.
     */
    private static void microKernelNarrow(float[] a, int a0, int aRow, int aStep, int rows,
                                          float[] panel, int p0, int panelStep, int kc, float[] out, int o0, int ldo,
                                          boolean add) {
        int r0 = a0;
        int r1 = rowStart(a0, 1, rows, aRow);
        int r2 = rowStart(a0, 2, rows, aRow);
        int r3 = rowStart(a0, 3, rows, aRow);
        int r4 = rowStart(a0, 4, rows, aRow);
        int r5 = rowStart(a0, 5, rows, aRow);
        FloatVector c00 = FloatVector.zero(F), c01 = c00;
        FloatVector c10 = c00, c11 = c00;
        FloatVector c20 = c00, c21 = c00;
        FloatVector c30 = c00, c31 = c00;
        FloatVector c40 = c00, c41 = c00;
        FloatVector c50 = c00, c51 = c00;
        for (int p = 0, ak = 0, bp = p0; p < kc; p++, ak += aStep, bp += panelStep) {
            FloatVector b0 = FloatVector.fromArray(F, panel, bp);
            FloatVector b1 = FloatVector.fromArray(F, panel, bp + L);
            FloatVector av = FloatVector.broadcast(F, a[r0 + ak]);
            c00 = av.fma(b0, c00); c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(F, a[r1 + ak]);
            c10 = av.fma(b0, c10); c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(F, a[r2 + ak]);
            c20 = av.fma(b0, c20); c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(F, a[r3 + ak]);
            c30 = av.fma(b0, c30); c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(F, a[r4 + ak]);
            c40 = av.fma(b0, c40); c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(F, a[r5 + ak]);
            c50 = av.fma(b0, c50); c51 = av.fma(b1, c51);
        }
        int o1 = o0 + ldo, o2 = o1 + ldo, o3 = o2 + ldo, o4 = o3 + ldo, o5 = o4 + ldo;
        if (add) {
            // C += s, as addTile adds a tile: the same sum, without the round trip through the tile.
            c00 = c00.add(FloatVector.fromArray(F, out, o0)); c01 = c01.add(FloatVector.fromArray(F, out, o0 + L));
            c10 = c10.add(FloatVector.fromArray(F, out, o1)); c11 = c11.add(FloatVector.fromArray(F, out, o1 + L));
            c20 = c20.add(FloatVector.fromArray(F, out, o2)); c21 = c21.add(FloatVector.fromArray(F, out, o2 + L));
            c30 = c30.add(FloatVector.fromArray(F, out, o3)); c31 = c31.add(FloatVector.fromArray(F, out, o3 + L));
            c40 = c40.add(FloatVector.fromArray(F, out, o4)); c41 = c41.add(FloatVector.fromArray(F, out, o4 + L));
            c50 = c50.add(FloatVector.fromArray(F, out, o5)); c51 = c51.add(FloatVector.fromArray(F, out, o5 + L));
        }
        c00.intoArray(out, o0); c01.intoArray(out, o0 + L);
        c10.intoArray(out, o1); c11.intoArray(out, o1 + L);
        c20.intoArray(out, o2); c21.intoArray(out, o2 + L);
        c30.intoArray(out, o3); c31.intoArray(out, o3 + L);
        c40.intoArray(out, o4); c41.intoArray(out, o4 + L);
        c50.intoArray(out, o5); c51.intoArray(out, o5 + L);
    }

    /**
     * {@link #microKernel} for three vectors of a panel: the ragged last panel whose real columns fit
     * in its first three (36 of n = 100, the seed's hidden size), where the full tile would spend 28
     * of its 64 columns on zero padding. Three quarters of the FMAs, the same per-element
     * arithmetic, so the result is bit-identical. Its rows go to the scratch tile, as {@link #microKernelShort}'s.
     */
    private static void microKernelThree(float[] a, int a0, int aRow, int aStep, int rows,
                                         float[] panel, int p0, int panelStep, int kc, float[] tile) {
        int r0 = a0;
        int r1 = rowStart(a0, 1, rows, aRow);
        int r2 = rowStart(a0, 2, rows, aRow);
        int r3 = rowStart(a0, 3, rows, aRow);
        int r4 = rowStart(a0, 4, rows, aRow);
        int r5 = rowStart(a0, 5, rows, aRow);
        FloatVector c00 = FloatVector.zero(F), c01 = c00, c02 = c00;
        FloatVector c10 = c00, c11 = c00, c12 = c00;
        FloatVector c20 = c00, c21 = c00, c22 = c00;
        FloatVector c30 = c00, c31 = c00, c32 = c00;
        FloatVector c40 = c00, c41 = c00, c42 = c00;
        FloatVector c50 = c00, c51 = c00, c52 = c00;
        for (int p = 0, ak = 0, bp = p0; p < kc; p++, ak += aStep, bp += panelStep) {
            FloatVector b0 = FloatVector.fromArray(F, panel, bp);
            FloatVector b1 = FloatVector.fromArray(F, panel, bp + L);
            FloatVector b2 = FloatVector.fromArray(F, panel, bp + 2 * L);
            FloatVector av = FloatVector.broadcast(F, a[r0 + ak]);
            c00 = av.fma(b0, c00); c01 = av.fma(b1, c01); c02 = av.fma(b2, c02);
            av = FloatVector.broadcast(F, a[r1 + ak]);
            c10 = av.fma(b0, c10); c11 = av.fma(b1, c11); c12 = av.fma(b2, c12);
            av = FloatVector.broadcast(F, a[r2 + ak]);
            c20 = av.fma(b0, c20); c21 = av.fma(b1, c21); c22 = av.fma(b2, c22);
            av = FloatVector.broadcast(F, a[r3 + ak]);
            c30 = av.fma(b0, c30); c31 = av.fma(b1, c31); c32 = av.fma(b2, c32);
            av = FloatVector.broadcast(F, a[r4 + ak]);
            c40 = av.fma(b0, c40); c41 = av.fma(b1, c41); c42 = av.fma(b2, c42);
            av = FloatVector.broadcast(F, a[r5 + ak]);
            c50 = av.fma(b0, c50); c51 = av.fma(b1, c51); c52 = av.fma(b2, c52);
        }
        c00.intoArray(tile, 0); c01.intoArray(tile, L); c02.intoArray(tile, 2 * L);
        c10.intoArray(tile, NR); c11.intoArray(tile, NR + L); c12.intoArray(tile, NR + 2 * L);
        c20.intoArray(tile, 2 * NR); c21.intoArray(tile, 2 * NR + L); c22.intoArray(tile, 2 * NR + 2 * L);
        c30.intoArray(tile, 3 * NR); c31.intoArray(tile, 3 * NR + L); c32.intoArray(tile, 3 * NR + 2 * L);
        c40.intoArray(tile, 4 * NR); c41.intoArray(tile, 4 * NR + L); c42.intoArray(tile, 4 * NR + 2 * L);
        c50.intoArray(tile, 5 * NR); c51.intoArray(tile, 5 * NR + L); c52.intoArray(tile, 5 * NR + 2 * L);
    }

    /**
     * {@link #microKernel} for a remainder of at most three rows (e.g. the last 2 of a 32-row block):
     * half the FMAs of a full tile, the same per-element arithmetic, so the result is bit-identical.
     */
    private static void microKernelShort(float[] a, int a0, int aRow, int aStep, int rows,
                                         float[] panel, int p0, int panelStep, int kc, float[] tile) {
        int r0 = a0;
        int r1 = rowStart(a0, 1, rows, aRow);
        int r2 = rowStart(a0, 2, rows, aRow);
        FloatVector c00 = FloatVector.zero(F), c01 = c00, c02 = c00, c03 = c00;
        FloatVector c10 = c00, c11 = c00, c12 = c00, c13 = c00;
        FloatVector c20 = c00, c21 = c00, c22 = c00, c23 = c00;
        for (int p = 0, ak = 0, bp = p0; p < kc; p++, ak += aStep, bp += panelStep) {
            FloatVector b0 = FloatVector.fromArray(F, panel, bp);
            FloatVector b1 = FloatVector.fromArray(F, panel, bp + L);
            FloatVector b2 = FloatVector.fromArray(F, panel, bp + 2 * L);
            FloatVector b3 = FloatVector.fromArray(F, panel, bp + 3 * L);
            FloatVector av = FloatVector.broadcast(F, a[r0 + ak]);
            c00 = av.fma(b0, c00); c01 = av.fma(b1, c01); c02 = av.fma(b2, c02); c03 = av.fma(b3, c03);
            av = FloatVector.broadcast(F, a[r1 + ak]);
            c10 = av.fma(b0, c10); c11 = av.fma(b1, c11); c12 = av.fma(b2, c12); c13 = av.fma(b3, c13);
            av = FloatVector.broadcast(F, a[r2 + ak]);
            c20 = av.fma(b0, c20); c21 = av.fma(b1, c21); c22 = av.fma(b2, c22); c23 = av.fma(b3, c23);
        }
        c00.intoArray(tile, 0); c01.intoArray(tile, L); c02.intoArray(tile, 2 * L); c03.intoArray(tile, 3 * L);
        c10.intoArray(tile, NR); c11.intoArray(tile, NR + L); c12.intoArray(tile, NR + 2 * L); c13.intoArray(tile, NR + 3 * L);
        c20.intoArray(tile, 2 * NR); c21.intoArray(tile, 2 * NR + L); c22.intoArray(tile, 2 * NR + 2 * L); c23.intoArray(tile, 2 * NR + 3 * L);
    }

    /** {@code C[0..rows)[0..cols) (+)= tile}: whole vectors where they fit, single floats at the ragged edge. */
    private static void addTile(float[] tile, int rows, int cols, float[] c, int c0, int ldc, boolean add) {
        int whole = cols - cols % L;
        for (int r = 0; r < rows; r++) {
            int t = r * NR;
            int at = c0 + r * ldc;
            for (int j = 0; j < whole; j += L) {
                FloatVector s = FloatVector.fromArray(F, tile, t + j);
                (add ? FloatVector.fromArray(F, c, at + j).add(s) : s).intoArray(c, at + j);
            }
            for (int j = whole; j < cols; j++) {
                c[at + j] = add ? c[at + j] + tile[t + j] : tile[t + j];
            }
        }
    }

    /**
     * {@code c[0..n) (+)= a · B} for one row {@code a} (m = 1, B stored [k×n]): B is read in place,
     * since packing would cost as much as the product. Same per-element FMA sequence and k-blocks
     * as the tiled path. Four vectors of C at a time (four FMA chains hide the FMA latency); near the
     * right edge the vectors slide left to end at column n, recomputing a few columns with the same
     * arithmetic, and only the columns not yet stored are written.
     */
    private static void rowTimesMatrix(int n, int k, float[] a, int aOff, int aStep,
                                       float[] b, int bOff, int ldb, float[] c, int cOff,
                                       boolean accumulate, float[] lanes) {
        for (int pc = 0; pc < k; pc += KC) {
            int kEnd = Math.min(k, pc + KC);
            boolean add = accumulate || pc > 0;
            if (n < L) {
                for (int j = 0; j < n; j++) {
                    float s = 0f;
                    for (int p = pc; p < kEnd; p++) {
                        s = Math.fma(a[aOff + p * aStep], b[bOff + p * ldb + j], s);
                    }
                    c[cOff + j] = add ? c[cOff + j] + s : s;
                }
                continue;
            }
            for (int j = 0; j < n; j += NR) {
                int o0 = Math.min(j, n - L), o1 = Math.min(j + L, n - L);
                int o2 = Math.min(j + 2 * L, n - L), o3 = Math.min(j + 3 * L, n - L);
                FloatVector s0 = FloatVector.zero(F), s1 = s0, s2 = s0, s3 = s0;
                for (int p = pc; p < kEnd; p++) {
                    FloatVector av = FloatVector.broadcast(F, a[aOff + p * aStep]);
                    int row = bOff + p * ldb;
                    s0 = av.fma(FloatVector.fromArray(F, b, row + o0), s0);
                    s1 = av.fma(FloatVector.fromArray(F, b, row + o1), s1);
                    s2 = av.fma(FloatVector.fromArray(F, b, row + o2), s2);
                    s3 = av.fma(FloatVector.fromArray(F, b, row + o3), s3);
                }
                int done = storeNew(s0, c, cOff, o0, j, add, lanes);
                done = storeNew(s1, c, cOff, o1, done, add, lanes);
                done = storeNew(s2, c, cOff, o2, done, add, lanes);
                storeNew(s3, c, cOff, o3, done, add, lanes);
            }
        }
    }

    /**
     * Stores (or adds) the columns {@code [max(o, done), o + L)} of the vector {@code s} that holds
     * columns {@code [o, o + L)} of C; returns {@code o + L}, the new end of the stored columns.
     */
    private static int storeNew(FloatVector s, float[] c, int cOff, int o, int done, boolean add, float[] lanes) {
        int at = cOff + o;
        if (done <= o) {
            (add ? FloatVector.fromArray(F, c, at).add(s) : s).intoArray(c, at);
        } else if (done < o + L) {
            s.intoArray(lanes, 0);
            for (int l = done - o; l < L; l++) {
                c[at + l] = add ? c[at + l] + lanes[l] : lanes[l];
            }
        }
        return o + L;
    }

    /**
     * {@code C (+)= A·Bᵀ} for fewer than {@link #MR} rows (NT; B stored [n×k]) as contiguous dot
     * products along k, since transposing B into panels would cost more than the product. Each
     * element: a lane-wise FMA chain over whole vectors, the lanes added pairwise in a fixed order
     * ({@link #sumLanes}), then an FMA chain over the k-tail; the order depends only on k. Four
     * columns at a time share the loads of A and hide the FMA latency; the last group repeats its
     * final column as needed and stores each column once.
     */
    private static void dotProducts(int m, int n, int k, float[] a, int aOff, int lda,
                                    float[] b, int bOff, int ldb, float[] c, int cOff, int ldc,
                                    boolean accumulate) {
        int whole = k - k % L;
        for (int i = 0; i < m; i++) {
            int ai = aOff + i * lda;
            int ci = cOff + i * ldc;
            for (int j = 0; j < n; j += 4) {
                int b0 = bOff + j * ldb;
                int b1 = bOff + Math.min(j + 1, n - 1) * ldb;
                int b2 = bOff + Math.min(j + 2, n - 1) * ldb;
                int b3 = bOff + Math.min(j + 3, n - 1) * ldb;
                FloatVector s0 = FloatVector.zero(F), s1 = s0, s2 = s0, s3 = s0;
                for (int p = 0; p < whole; p += L) {
                    FloatVector av = FloatVector.fromArray(F, a, ai + p);
                    s0 = av.fma(FloatVector.fromArray(F, b, b0 + p), s0);
                    s1 = av.fma(FloatVector.fromArray(F, b, b1 + p), s1);
                    s2 = av.fma(FloatVector.fromArray(F, b, b2 + p), s2);
                    s3 = av.fma(FloatVector.fromArray(F, b, b3 + p), s3);
                }
                float t0 = sumLanes(s0), t1 = sumLanes(s1);
                float t2 = sumLanes(s2), t3 = sumLanes(s3);
                for (int p = whole; p < k; p++) {
                    float av = a[ai + p];
                    t0 = Math.fma(av, b[b0 + p], t0);
                    t1 = Math.fma(av, b[b1 + p], t1);
                    t2 = Math.fma(av, b[b2 + p], t2);
                    t3 = Math.fma(av, b[b3 + p], t3);
                }
                c[ci + j] = accumulate ? c[ci + j] + t0 : t0;
                if (j + 1 < n) {
                    c[ci + j + 1] = accumulate ? c[ci + j + 1] + t1 : t1;
                }
                if (j + 2 < n) {
                    c[ci + j + 2] = accumulate ? c[ci + j + 2] + t2 : t2;
                }
                if (j + 3 < n) {
                    c[ci + j + 3] = accumulate ? c[ci + j + 3] + t3 : t3;
                }
            }
        }
    }

    /**
     * Lane i ↔ lane i xor w for w = L/2, L/4, …, 1: folding a vector onto itself with these
     * shuffles adds its lanes pairwise in a fixed tree, the same interpreted or compiled (unlike
     * {@code reduceLanes}, whose float order is unspecified).
     */
    private static final VectorShuffle<Float>[] FOLDS = folds();

    @SuppressWarnings("unchecked")
    private static VectorShuffle<Float>[] folds() {
        VectorShuffle<Float>[] folds = (VectorShuffle<Float>[]) new VectorShuffle<?>[Integer.numberOfTrailingZeros(L)];
        for (int level = 0, width = L / 2; width > 0; level++, width /= 2) {
            int w = width;
            folds[level] = F.shuffleFromOp(i -> i ^ w);
        }
        return folds;
    }

    /** The sum of the lanes of {@code v}, added pairwise in a fixed order. */
    static float sumLanes(FloatVector v) {
        for (VectorShuffle<Float> fold : FOLDS) {
            v = v.add(v.rearrange(fold));
        }
        return v.lane(0);
    }
}
