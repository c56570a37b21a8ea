package dev.unroll.kernel;

/**
 * The hot loops of Unroll, single-threaded, on arrays with offsets. Two implementations:
 * {@link ScalarKernels}, the plain readable reference, and a Vector API implementation chosen once
 * at start-up when {@code jdk.incubator.vector} is readable (see {@link Kernels}). Implementations
 * allocate nothing per call (scratch space, if any, is per thread and reused).
 *
 * <p>Element-wise methods read {@code n} elements from each source starting at its offset. A
 * destination may be the same array region as a source (in-place), but regions must not partly
 * overlap.
 */
public interface KernelProvider {

    /** Short name for logs and reports, e.g. {@code "scalar"} or {@code "vector-512"}. */
    String name();

    /** How the GEMM blocks and tiles its work, in words for reports (empty where it does not block). */
    default String blocking() {
        return "";
    }

    /**
     * {@code C[m×n] = op(A)·op(B)}, or {@code C += op(A)·op(B)} when {@code accumulate}; see
     * {@link GemmOp} for the stored shapes of A and B. {@code k == 0} gives zeros (or leaves C).
     */
    void gemm(GemmOp op, int m, int n, int k,
              float[] a, int aOff, int lda,
              float[] b, int bOff, int ldb,
              float[] c, int cOff, int ldc,
              boolean accumulate);

    /**
     * Prepares {@code op(B)} ({@code [k×n]}; stored {@code [n×k]} when {@code transposed}) for
     * {@link #gemm(int, float[], int, int, PackedMatrix, float[], int, int, boolean)}.
     */
    PackedMatrix pack(boolean transposed, int k, int n, float[] b, int bOff, int ldb);

    /**
     * {@code C[m×n] = A[m×k]·op(B)} (or {@code +=} when {@code accumulate}) with {@code op(B)}
     * prepared by {@link #pack}. Every element is computed by the same arithmetic whatever m, so
     * splitting the rows of A between calls changes no bit.
     */
    void gemm(int m, float[] a, int aOff, int lda, PackedMatrix b, float[] c, int cOff, int ldc, boolean accumulate);

    /** {@code y = f(x)} element-wise. */
    default void activate(Activation f, float[] x, int xOff, float[] y, int yOff, int n) {
        activateRows(f, 1, n, x, xOff, n, y, yOff, n);
    }

    /**
     * {@code y = f(x)} on {@code rows} rows of {@code cols} values, rows {@code ldx} and {@code ldy}
     * apart (e.g. one gate of every row of a stacked-gate matrix). In place allowed.
     */
    void activateRows(Activation f, int rows, int cols, float[] x, int xOff, int ldx, float[] y, int yOff, int ldy);

    /**
     * {@code dx = dy · f'(x)} (or {@code dx +=} when {@code accumulate}), with the derivative taken
     * from the activation's output {@code y = f(x)} (see {@link Activation}).
     */
    void activateBackward(Activation f, float[] y, int yOff, float[] dy, int dyOff,
                          float[] dx, int dxOff, int n, boolean accumulate);

    /** {@code y += alpha · x}. */
    void axpy(int n, float alpha, float[] x, int xOff, float[] y, int yOff);

    /** {@code out = a + b}. */
    void add(int n, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff);

    /** {@code out = a ⊙ b} (or {@code out += a ⊙ b} when {@code accumulate}). */
    void mul(int n, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, boolean accumulate);

    /** {@code out = alpha · (a ⊙ b)} (or {@code out += …} when {@code accumulate}). */
    void scaledMul(int n, float alpha, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff, boolean accumulate);

    /** Adds {@code bias[0..cols)} to every one of {@code rows} rows of {@code x} (leading dimension {@code ldx}). */
    void addRowVector(int rows, int cols, float[] bias, int biasOff, float[] x, int xOff, int ldx);

    /**
     * {@code out[j] (+)= Σ_i x[i][j]}: column sums of a [rows×cols] matrix (the gradient of a
     * broadcast bias). Rows are summed in order, so results do not depend on threading.
     */
    void sumRows(int rows, int cols, float[] x, int xOff, int ldx, float[] out, int outOff, boolean accumulate);

    /**
     * {@code Σ x[i]·y[i]}, summed in an order that depends only on {@code n} (so the same inputs give
     * the same bits on every call, whatever the thread count).
     */
    double dot(int n, float[] x, int xOff, float[] y, int yOff);

    /**
     * {@code Σ x[i]}, accumulated in double in an order that depends only on {@code n} (the same
     * inputs give the same bits on every call, whatever the thread count).
     */
    double sum(int n, float[] x, int xOff);

    // ------------------------------------------------------------------ fused recurrent cell steps
    // Rows of gate matrices are G·H apart, rows of states H apart (the time-major buffers of the
    // fused sequence kernels); each call covers a block of rows.

    /**
     * LSTM step (gate order i, f, g, o): {@code gates [rows, 4H]} holds pre-activations and is
     * turned into activations in place; then {@code c' = f ⊙ c + i ⊙ g},
     * {@code tanhC = tanh(c')}, {@code h' = o ⊙ tanhC}.
     */
    void lstmForward(int rows, int hidden, float[] gates, int gOff, float[] c, int cOff, float[] cNext, int cNextOff,
                     float[] tanhC, int tanhCOff, float[] hNext, int hNextOff);

    /**
     * LSTM backward of one step from the saved activations: given {@code dh} (gradient reaching h')
     * and {@code dc} (gradient reaching c' from later steps), writes the pre-activation gradients
     * {@code dGates [rows, 4H]} and replaces {@code dc} by the gradient reaching c:
     * <pre>
     *   do = dh ⊙ tanhC ⊙ o(1−o)          dc' = dc + dh ⊙ o ⊙ (1 − tanhC²)
     *   di = dc' ⊙ g ⊙ i(1−i)   df = dc' ⊙ c ⊙ f(1−f)   dg = dc' ⊙ i ⊙ (1 − g²)   dc ← dc' ⊙ f
     * </pre>
     */
    void lstmBackward(int rows, int hidden, float[] gates, int gOff, float[] c, int cOff, float[] tanhC, int tanhCOff,
                      float[] dh, int dhOff, float[] dc, int dcOff, float[] dGates, int dgOff);

    /**
     * GRU step (gate order r, z, n): {@code gates [rows, 3H]} holds the input projections
     * {@code xp} and is turned into the activations r, z, n in place, using the hidden projections
     * {@code hp [rows, 3H]}: {@code r, z = σ(xp + hp)}, {@code n = tanh(xp_n + r ⊙ hn)} with
     * {@code hn = hp_n + b_hn}, {@code h' = n + z ⊙ (h − n)}. The bias {@code bhn [H]} is null when
     * hp_n already includes it. {@code hn} is copied to {@code hpN [rows, H]} unless that is null
     * (inference).
     */
    void gruForward(int rows, int hidden, float[] gates, int gOff, float[] hp, int hpOff, float[] bhn, int bhnOff,
                    float[] hpN, int hpnOff, float[] h, int hOff, float[] hNext, int hNextOff);

    /**
     * GRU backward of one step from the saved activations, given {@code dh} (gradient reaching h'):
     * <pre>
     *   dn = dh ⊙ (1 − z) ⊙ (1 − n²)    dz = dh ⊙ (h − n) ⊙ z(1 − z)    dr = dn ⊙ hp_n ⊙ r(1 − r)
     *   dGates = [dn | dr | dz | dn ⊙ r]    dhDirect = dh ⊙ z
     * </pre>
     * One row of {@code dGates} ({@code 4·hidden} wide) holds both gate gradients: the input side's,
     * {@code [dn, dr, dz]}, in its first {@code 3·hidden} columns, and the hidden side's,
     * {@code [dr, dz, dn ⊙ r]}, in its last (they share dr and dz). {@code dhDirect} is the part of
     * the gradient reaching h that bypasses the weights.
     */
    void gruBackward(int rows, int hidden, float[] gates, int gOff, float[] hpN, int hpnOff, float[] h, int hOff,
                     float[] dh, int dhOff, float[] dGates, int dgOff, float[] dhDirect, int ddOff);
}
