package dev.unroll.bench;

import dev.unroll.infer.Predictor;
import dev.unroll.infer.SessionState;
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
 * Calls per second on one predictor shared by the benchmark's threads, each thread a request
 * thread with its own session: run with {@code -t 1} and {@code -t 2} to see whether a second
 * request thread doubles the throughput (no lock or shared cache line on the hot path) — JMH sums
 * the threads' rates.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class PredictorThroughputBenchmark {

    /** The predictors, shared by every thread. */
    @State(Scope.Benchmark)
    public static class Shared {
        @Param("forecaster")
        public String forecaster;

        @Param("classifier")
        public String classifier;

        Predictor forecasts;
        Predictor classifies;

        @Setup
        public void setUp() {
            forecasts = ServedModels.predictor(forecaster);
            classifies = ServedModels.predictor(classifier);
        }
    }

    /** One request thread's own session and inputs. */
    @State(Scope.Thread)
    public static class Caller {
        SessionState session;
        final float[] value = new float[1];
        Tensor image;
        int step;

        @Setup
        public void setUp(Shared shared) {
            session = shared.forecasts.newSession();
            image = Tensor.of(BenchData.uniform(28 * 28, 0.5f, 3), 1, 28, 28);
        }
    }

    @Benchmark
    public float[] forecasterSessionStep(Shared shared, Caller caller) {
        caller.value[0] = (float) Math.sin(0.1 * ++caller.step);
        var r = shared.forecasts.step(caller.session, caller.value);
        caller.session = r.state();
        return r.outputs();
    }

    @Benchmark
    public Tensor classifierSequence(Shared shared, Caller caller) {
        return shared.classifies.predict(caller.image);
    }
}
