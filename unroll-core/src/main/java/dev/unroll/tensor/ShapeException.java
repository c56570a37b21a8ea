package dev.unroll.tensor;

/**
 * Thrown when a tensor's shape does not fit an operation. The message always names what was
 * expected and what was given, for example
 * {@code "matmul: inner dimensions differ: [4, 3] x [5, 5] (3 != 5)"}.
 */
public class ShapeException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    public ShapeException(String message) {
        super(message);
    }
}
