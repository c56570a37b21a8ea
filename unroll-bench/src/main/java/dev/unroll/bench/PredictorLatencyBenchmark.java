package dev.unroll.bench;

import dev.unroll.infer.Predictor;
import dev.unroll.infer.SessionState;
import dev.unroll.nn.StreamingModel;
import dev.unroll.tensor.Tensor;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Batch-1 latency of serving calls, in process (JMH sample mode: the percentiles of single calls):
 * one streaming step of the seed's forecaster — as a {@link StreamingModel} step (state kept in
 * place) and as a {@link Predictor} session step (state as a value, a new one per step) — and W1's
 * classifier on one 28-step sequence. {@code tools/serve/pytorch_latency.py} times PyTorch on the
 * same models. Models: {@code -p forecaster=PATH -p classifier=PATH} for checkpoints, otherwise
 * seeded random weights of the same shapes.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class PredictorLatencyBenchmark {
    @Param("forecaster")
    public String forecaster;

    @Param("classifier")
    public String classifier;

    private StreamingModel stream;
    private Predictor forecasts;
    private SessionState session;
    private float[] value;
    private Predictor classifies;
    private Tensor image;
    private int step;

    @Setup
    public void setUp() {
        forecasts = ServedModels.predictor(forecaster);
        stream = new StreamingModel(ServedModels.model(forecaster), 1);
        session = forecasts.newSession();
        value = new float[1];
        classifies = ServedModels.predictor(classifier);
        image = Tensor.of(BenchData.uniform(28 * 28, 0.5f, 3), 1, 28, 28);
    }

    /** The input of the next step: the seed's series is smooth, and so is this. */
    private float nextValue() {
        step++;
        return (float) Math.sin(0.1 * step);
    }

    @Benchmark
    public float[] forecasterStreamingStep() {
        value[0] = nextValue();
        return stream.step(value);
    }

    @Benchmark
    public float[] forecasterSessionStep() {
        value[0] = nextValue();
        var r = forecasts.step(session, value);
        session = r.state();
        return r.outputs();
    }

    @Benchmark
    public Tensor classifierSequence() {
        return classifies.predict(image);
    }
}
