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

    /**
     * {@code C[m×n] = op(A)·op(B)}, or {@code C += op(A)·op(B)} when {@code accumulate}; see
     * {@link GemmOp} for the stored shapes of A and B. {@code k == 0} gives zeros (or leaves C).
     */
    void gemm(GemmOp op, int m, int n, int k,
              float[] a, int aOff, int lda,
              float[] b, int bOff, int ldb,
              float[] c, int cOff, int ldc,
              boolean accumulate);

    /** {@code y = f(x)} element-wise. */
    void activate(Activation f, float[] x, int xOff, float[] y, int yOff, int n);

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
}
