package dev.unroll.kernel;

/**
 * Which operands of {@code C = op(A)·op(B)} are read transposed. All matrices are row-major with a
 * leading dimension (the distance between the starts of two rows in the array).
 *
 * <ul>
 *   <li>{@link #NN}: A is [m×k], B is [k×n] — a layer's forward product {@code x·W}.</li>
 *   <li>{@link #NT}: A is [m×k], B is [n×k] — products with PyTorch-layout weights {@code x·Wᵀ}
 *       and input gradients {@code dY·Wᵀ}.</li>
 *   <li>{@link #TN}: A is [k×m], B is [k×n] — weight gradients {@code Xᵀ·dY} summed over the batch
 *       (and over time, when the rows are all steps of all sequences).</li>
 * </ul>
 */
public enum GemmOp {
    NN(false, false),
    NT(false, true),
    TN(true, false);

    /** A is stored [k×m] and read transposed. */
    public final boolean transA;
    /** B is stored [n×k] and read transposed. */
    public final boolean transB;

    GemmOp(boolean transA, boolean transB) {
        this.transA = transA;
        this.transB = transB;
    }
}
