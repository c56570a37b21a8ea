package dev.unroll.nn;

import dev.unroll.tensor.Shape;
import dev.unroll.tensor.ShapeException;
import dev.unroll.tensor.Tensor;

/**
 * Stateful, step-by-step inference over a {@link Sequential} model: {@link #step} takes the input
 * of one time step and returns the model's output for it, carrying the recurrent states to the
 * next call; {@link #reset()} returns to zero states. Feeding a sequence step by step gives the
 * same outputs as running the whole sequence at once.
 *
 * <p>This is the fast way to generate (seed §14): each step costs one small product per layer,
 * instead of re-running a whole window. It runs a {@link StepProgram} (weights packed once, when
 * this is built) on buffers allocated once; a step allocates nothing and calls the kernels directly
 * (no autograd). One thread at a time; for many callers and per-session states, see
 * {@code dev.unroll.infer.Predictor}.
 *
 * <p>Supported layers: {@link Embedding} first (the step's input is then one id per row, as a
 * float), unidirectional {@link Recurrent} (any cell, any depth; with
 * {@code returnSequences(false)} the step output is the current state, i.e. what the model would
 * output if the sequence ended here), {@link Dense}, {@link LayerNormalization} and
 * {@link DropoutLayer} (inactive at inference).
 */
public final class StreamingModel {
    private final int batch;
    private final StepProgram program;
    private final StepProgram.Workspace workspace;
    private final float[] output;

    public StreamingModel(Sequential model, int batch) {
        this(StepProgram.of(model), batch);
    }

    /** A streaming model of a program already built (its weights packed once, shared by every stream of it). */
    public StreamingModel(StepProgram program, int batch) {
        if (batch < 1) {
            throw new IllegalArgumentException("streaming: batch must be at least 1, got " + batch);
        }
        this.batch = batch;
        this.program = program;
        this.workspace = program.workspace(batch);
        this.output = new float[batch * program.outputSize()];
        reset();
    }

    public int inputSize() {
        return program.inputSize();
    }

    public int outputSize() {
        return program.outputSize();
    }

    /** Back to zero states. */
    public void reset() {
        program.zeroState(workspace, batch);
    }

    /**
     * One time step: {@code x} holds {@code [batch, inputSize]} values, row-major. Returns the
     * outputs {@code [batch, outputSize]} in a buffer that the next call overwrites.
     */
    public float[] step(float[] x) {
        int in = program.inputSize();
        if (x.length != batch * in) {
            throw new ShapeException("streaming step: expected " + batch * in + " values ([" + batch + ", " + in
                    + "]), got " + x.length);
        }
        program.step(workspace, batch, x, 0, in, output, 0, program.outputSize());
        return output;
    }

    /** One time step on a {@code [batch, inputSize]} tensor; returns a new {@code [batch, outputSize]} tensor. */
    public Tensor step(Tensor x) {
        Shape.requireEqual("streaming step input", new int[] {batch, program.inputSize()}, x.shape());
        return Tensor.of(step(x.toArray()), batch, program.outputSize());
    }
}
