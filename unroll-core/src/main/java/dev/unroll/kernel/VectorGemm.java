package dev.unroll.kernel;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
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
 * {@code MR × NR} tile of C in 24 vector registers and adds it to C once per k-block.
 *
 * <h2>Arithmetic (why results do not depend on blocking or threads)</h2>
 * Every element of C, wherever its tile lies, is computed the same way: for each k-block
 * {@code [p0, p0+KC)} counted from k = 0, {@code s = fma(a[i][p], b[p][j], s)} from {@code s = 0} in
 * increasing p, then {@code C[i][j] = s} (first block, not accumulating) or {@code C[i][j] += s}.
 * Edge tiles compute surplus rows and zero columns that are never stored, so a tile's position
 * changes nothing. The one-row products are the exception that proves the rule: {@code NN}/{@code TN}
 * keep the same per-element sequence, while {@code NT} with m = 1 takes dot products along k
 * (see {@link #dotRows}); {@link Kernels#gemm} therefore never hands out a one-row block of a taller
 * product.
 */
final class VectorGemm {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final int L = F.length();
    /** Tile height: rows of C per micro-kernel call. */
    static final int MR = 6;
    /** Panel width: columns of C per micro-kernel call (4 vectors). */
    static final int NR = 4 * L;
    /** Depth of a k-block: a packed panel is KC × NR floats. */
    private static final int KC = 256;
    /** Rows of A swept per packed block of B (keeps that slab of A in L2). */
    private static final int MC = 192;
    /** Columns of B packed at once (a multiple of NR; KC × NC floats fit in L2). */
    private static final int NC = 1536;

    /** Per-thread buffers, grown on first use and reused: no allocation per call after warm-up. */
    private static final class Workspace {
        float[] panels = new float[0];
        /** One micro-tile of C, written by the kernel and added into C row by row. */
        final float[] tile = new float[MR * NR];
        /** Lanes of one vector, for fixed-order horizontal sums. */
        final float[] lanes = new float[L];

        float[] panels(int size) {
            if (panels.length < size) {
                panels = new float[size];
            }
            return panels;
        }
    }

    private static final ThreadLocal<Workspace> WORKSPACE = ThreadLocal.withInitial(Workspace::new);

    private VectorGemm() {
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
        Workspace ws = WORKSPACE.get();
        // A's element (i, p) is a[aOff + i * aRow + p * aStep] whatever its storage order.
        int aRow = op.transA ? 1 : lda;
        int aStep = op.transA ? lda : 1;
        if (m == 1) {
            if (op.transB) {
                dotRows(n, k, a, aOff, b, bOff, ldb, c, cOff, accumulate, ws.lanes);
            } else {
                rowTimesMatrix(n, k, a, aOff, aStep, b, bOff, ldb, c, cOff, accumulate);
            }
            return;
        }
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            int panelCount = (nc + NR - 1) / NR;
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                float[] packed = ws.panels(panelCount * kc * NR);
                packB(op.transB, b, bOff, ldb, pc, kc, jc, nc, packed);
                boolean add = accumulate || pc > 0;
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    for (int panel = 0; panel < panelCount; panel++) {
                        int cols = Math.min(NR, nc - panel * NR);
                        for (int ir = 0; ir < mc; ir += MR) {
                            int i = ic + ir;
                            microKernel(a, aOff + i * aRow + pc * aStep, aRow, aStep, Math.min(MR, mc - ir),
                                    packed, panel * kc * NR, kc, ws.tile);
                            addTile(ws.tile, Math.min(MR, mc - ir), cols, c, cOff + i * ldc + jc + panel * NR, ldc, add);
                        }
                    }
                }
            }
        }
    }

    /**
     * Packs {@code op(B)[pc, pc+kc) × [jc, jc+nc)} into consecutive {@code kc × NR} panels, padding
     * the last panel's missing columns with zeros.
     */
    private static void packB(boolean transB, float[] b, int bOff, int ldb,
                              int pc, int kc, int jc, int nc, float[] dst) {
        for (int j0 = jc, base = 0; j0 < jc + nc; j0 += NR, base += kc * NR) {
            int cols = Math.min(NR, jc + nc - j0);
            for (int p = 0; p < kc; p++) {
                int d = base + p * NR;
                if (transB) {
                    // B is [n×k]: column j of op(B) is row j of B; walk the NR rows at once for each p.
                    int s = bOff + j0 * ldb + pc + p;
                    for (int j = 0; j < cols; j++) {
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
     * (their results are never stored), so every call runs the same 24-FMA loop body.
     */
    private static void microKernel(float[] a, int a0, int aRow, int aStep, int rows,
                                    float[] panel, int p0, int kc, float[] tile) {
        int r0 = a0;
        int r1 = a0 + Math.min(1, rows - 1) * aRow;
        int r2 = a0 + Math.min(2, rows - 1) * aRow;
        int r3 = a0 + Math.min(3, rows - 1) * aRow;
        int r4 = a0 + Math.min(4, rows - 1) * aRow;
        int r5 = a0 + Math.min(5, rows - 1) * aRow;
        // 24 plain locals: C2 keeps each in a register (an array of vectors would spill).
        FloatVector c00 = FloatVector.zero(F), c01 = c00, c02 = c00, c03 = c00;
        FloatVector c10 = c00, c11 = c00, c12 = c00, c13 = c00;
        FloatVector c20 = c00, c21 = c00, c22 = c00, c23 = c00;
        FloatVector c30 = c00, c31 = c00, c32 = c00, c33 = c00;
        FloatVector c40 = c00, c41 = c00, c42 = c00, c43 = c00;
        FloatVector c50 = c00, c51 = c00, c52 = c00, c53 = c00;
        for (int p = 0, ak = 0, bp = p0; p < kc; p++, ak += aStep, bp += NR) {
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
        c00.intoArray(tile, 0); c01.intoArray(tile, L); c02.intoArray(tile, 2 * L); c03.intoArray(tile, 3 * L);
        c10.intoArray(tile, NR); c11.intoArray(tile, NR + L); c12.intoArray(tile, NR + 2 * L); c13.intoArray(tile, NR + 3 * L);
        c20.intoArray(tile, 2 * NR); c21.intoArray(tile, 2 * NR + L); c22.intoArray(tile, 2 * NR + 2 * L); c23.intoArray(tile, 2 * NR + 3 * L);
        c30.intoArray(tile, 3 * NR); c31.intoArray(tile, 3 * NR + L); c32.intoArray(tile, 3 * NR + 2 * L); c33.intoArray(tile, 3 * NR + 3 * L);
        c40.intoArray(tile, 4 * NR); c41.intoArray(tile, 4 * NR + L); c42.intoArray(tile, 4 * NR + 2 * L); c43.intoArray(tile, 4 * NR + 3 * L);
        c50.intoArray(tile, 5 * NR); c51.intoArray(tile, 5 * NR + L); c52.intoArray(tile, 5 * NR + 2 * L); c53.intoArray(tile, 5 * NR + 3 * L);
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
     * as the tiled path.
     */
    private static void rowTimesMatrix(int n, int k, float[] a, int aOff, int aStep,
                                       float[] b, int bOff, int ldb, float[] c, int cOff, boolean accumulate) {
        for (int pc = 0; pc < k; pc += KC) {
            int kEnd = Math.min(k, pc + KC);
            boolean add = accumulate || pc > 0;
            int j = 0;
            // Four vectors of C at a time: four independent FMA chains hide the FMA latency.
            for (; j + NR <= n; j += NR) {
                FloatVector s0 = FloatVector.zero(F), s1 = s0, s2 = s0, s3 = s0;
                for (int p = pc; p < kEnd; p++) {
                    FloatVector av = FloatVector.broadcast(F, a[aOff + p * aStep]);
                    int row = bOff + p * ldb + j;
                    s0 = av.fma(FloatVector.fromArray(F, b, row), s0);
                    s1 = av.fma(FloatVector.fromArray(F, b, row + L), s1);
                    s2 = av.fma(FloatVector.fromArray(F, b, row + 2 * L), s2);
                    s3 = av.fma(FloatVector.fromArray(F, b, row + 3 * L), s3);
                }
                storeOrAdd(s0, c, cOff + j, add);
                storeOrAdd(s1, c, cOff + j + L, add);
                storeOrAdd(s2, c, cOff + j + 2 * L, add);
                storeOrAdd(s3, c, cOff + j + 3 * L, add);
            }
            for (; j + L <= n; j += L) {
                FloatVector s = FloatVector.zero(F);
                for (int p = pc; p < kEnd; p++) {
                    s = FloatVector.broadcast(F, a[aOff + p * aStep]).fma(FloatVector.fromArray(F, b, bOff + p * ldb + j), s);
                }
                storeOrAdd(s, c, cOff + j, add);
            }
            for (; j < n; j++) {
                float s = 0f;
                for (int p = pc; p < kEnd; p++) {
                    s = Math.fma(a[aOff + p * aStep], b[bOff + p * ldb + j], s);
                }
                c[cOff + j] = add ? c[cOff + j] + s : s;
            }
        }
    }

    private static void storeOrAdd(FloatVector s, float[] c, int at, boolean add) {
        (add ? FloatVector.fromArray(F, c, at).add(s) : s).intoArray(c, at);
    }

    /**
     * {@code c[j] (+)= Σ_p a[p] · B[j][p]} for one row {@code a} (contiguous: NT never transposes A)
     * and B stored [n×k] (m = 1, NT):
     * contiguous dot products along k. Each sum runs lane-wise over whole vectors, then adds the lanes
     * pairwise in a fixed order, then the k-tail in order: the order depends only on k.
     */
    private static void dotRows(int n, int k, float[] a, int aOff,
                                float[] b, int bOff, int ldb, float[] c, int cOff,
                                boolean accumulate, float[] lanes) {
        int whole = k - k % L;
        for (int j = 0; j < n; j++) {
            int row = bOff + j * ldb;
            FloatVector s = FloatVector.zero(F);
            for (int p = 0; p < whole; p += L) {
                s = FloatVector.fromArray(F, a, aOff + p).fma(FloatVector.fromArray(F, b, row + p), s);
            }
            float sum = sumLanes(s, lanes);
            for (int p = whole; p < k; p++) {
                sum = Math.fma(a[aOff + p], b[row + p], sum);
            }
            c[cOff + j] = accumulate ? c[cOff + j] + sum : sum;
        }
    }

    /** The lanes of {@code v} added pairwise in a fixed order (halves, then quarters, ...). */
    static float sumLanes(FloatVector v, float[] lanes) {
        v.intoArray(lanes, 0);
        for (int width = L / 2; width > 0; width /= 2) {
            for (int i = 0; i < width; i++) {
                lanes[i] += lanes[i + width];
            }
        }
        return lanes[0];
    }
}
