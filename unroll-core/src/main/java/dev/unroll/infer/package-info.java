/**
 * Serving a trained model: {@link dev.unroll.infer.Predictor}, built once from a model or a
 * checkpoint (file, bytes, stream or class-path resource) and safe to call from any number of
 * threads at once, each call on its own pooled buffers and thread budget; per-session recurrent
 * state as a value ({@link dev.unroll.infer.SessionState}: stepped, stored, serialized to bytes and
 * back exactly); dynamic batching of session steps ({@link dev.unroll.infer.StepBatcher}); and the
 * preprocessing saved with a model ({@link dev.unroll.infer.Preprocessing}).
 *
 * <p>Builds on {@code dev.unroll.nn} (its {@link dev.unroll.nn.StepProgram}) and {@code dev.unroll.io}.
 * Bad arguments and shapes throw an {@code IllegalArgumentException} naming expected and actual
 * values; unreadable checkpoints an {@code IOException}.
 */
package dev.unroll.infer;
