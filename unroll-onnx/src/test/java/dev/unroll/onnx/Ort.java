package dev.unroll.onnx;

import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.unroll.tensor.Tensor;
import java.nio.FloatBuffer;
import java.nio.IntBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * ONNX Runtime (the Java binding of Microsoft's runtime, test scope only) running an exported file:
 * one session per model, fed and read as Unroll tensors.
 */
final class Ort implements AutoCloseable {
    private static final OrtEnvironment ENV = OrtEnvironment.getEnvironment();
    private final OrtSession session;

    Ort(byte[] model) throws OrtException {
        OrtSession.SessionOptions options = new OrtSession.SessionOptions();
        options.setIntraOpNumThreads(1);
        options.setInterOpNumThreads(1);
        this.session = ENV.createSession(model, options);
    }

    /** The names of the session's inputs, in the graph's order. */
    List<String> inputNames() {
        return new ArrayList<>(session.getInputNames());
    }

    /**
     * Runs the model on float inputs (and an optional int32 {@code lengths}) and returns every
     * output by name.
     */
    Map<String, Tensor> run(Map<String, Tensor> inputs, int[] lengths) throws OrtException {
        Map<String, ai.onnxruntime.OnnxTensor> fed = new LinkedHashMap<>();
        try {
            for (Map.Entry<String, Tensor> e : inputs.entrySet()) {
                Tensor t = e.getValue();
                fed.put(e.getKey(), ai.onnxruntime.OnnxTensor.createTensor(ENV, FloatBuffer.wrap(t.toArray()), longs(t.shape())));
            }
            if (lengths != null) {
                fed.put(OnnxExport.LENGTHS, ai.onnxruntime.OnnxTensor.createTensor(ENV, IntBuffer.wrap(lengths), new long[] {lengths.length}));
            }
            Map<String, Tensor> out = new LinkedHashMap<>();
            try (OrtSession.Result result = session.run(fed)) {
                for (Map.Entry<String, OnnxValue> e : result) {
                    ai.onnxruntime.OnnxTensor t = (ai.onnxruntime.OnnxTensor) e.getValue();
                    long[] shape = t.getInfo().getShape();
                    int[] dims = new int[shape.length];
                    for (int i = 0; i < dims.length; i++) {
                        dims[i] = Math.toIntExact(shape[i]);
                    }
                    FloatBuffer b = t.getFloatBuffer();
                    float[] values = new float[b.remaining()];
                    b.get(values);
                    out.put(e.getKey(), Tensor.of(values, dims));
                }
            }
            return out;
        } finally {
            for (ai.onnxruntime.OnnxTensor t : fed.values()) {
                t.close();
            }
        }
    }

    /** The model's {@code output} for {@code input} (and lengths, or null). */
    Tensor output(Tensor input, int[] lengths) throws OrtException {
        return run(Map.of(OnnxExport.INPUT, input), lengths).get(OnnxExport.OUTPUT);
    }

    private static long[] longs(int[] shape) {
        long[] s = new long[shape.length];
        for (int i = 0; i < s.length; i++) {
            s[i] = shape[i];
        }
        return s;
    }

    @Override
    public void close() throws OrtException {
        session.close();
    }
}
