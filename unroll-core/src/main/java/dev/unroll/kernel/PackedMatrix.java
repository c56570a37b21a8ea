package dev.unroll.kernel;

/**
 * The right operand of a matrix product, prepared once by {@link KernelProvider#pack} for many
 * products with the same matrix — a recurrent weight multiplied at every time step — so the
 * per-product cost of rearranging it disappears. Opaque; only the provider that made it reads it.
 */
public interface PackedMatrix {

    /** k: rows of op(B). */
    int rows();

    /** n: columns of op(B). */
    int cols();
}
