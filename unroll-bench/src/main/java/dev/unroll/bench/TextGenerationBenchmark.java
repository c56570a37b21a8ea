package dev.unroll.bench;

import dev.unroll.io.Checkpoint;
import dev.unroll.nn.CellType;
import dev.unroll.nn.Sequential;
import dev.unroll.text.LanguageModel;
import dev.unroll.text.Sampler;
import dev.unroll.text.TextGenerator;
import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Text generation at batch 1 on the streaming path (issue 12: at least 20,000 tokens per second):
 * {@link TextGenerator} drawing 1,000 tokens per call ({@code sampling}: temperature 0.8 alone, with
 * top-k 40, or with top-p 0.9) from a byte LSTM
 * language model — {@code -p model=PATH} for a checkpoint of {@code unroll text train}, otherwise
 * seeded random weights of the default shape (embedding 32, LSTM 256, dense 256). The score is
 * tokens per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class TextGenerationBenchmark {
    private static final int TOKENS = 1000;

    @Param("default")
    public String model;

    @Param({"t0.8", "k40", "p0.9"})
    public String sampling;

    private TextGenerator generator;
    private long seed;

    @Setup
    public void setUp() throws IOException {
        Sequential m = model.equals("default")
                ? LanguageModel.build(256, new LanguageModel.Settings(CellType.LSTM, 32, 256, 1, 1, 1, 1, 0.001, 0, 42, 1))
                : (Sequential) Checkpoint.load(Path.of(model));
        generator = new TextGenerator(m);
    }

    @Benchmark
    @OperationsPerInvocation(TOKENS)
    public int[] generate() {
        Sampler.Options options = new Sampler.Options(0.8, sampling.equals("k40") ? 40 : 0, sampling.equals("p0.9") ? 0.9 : 1, 1, seed++);
        return generator.generate(new int[] {'T', 'h', 'e', ' '}, TOKENS, new int[0], options, id -> { });
    }
}
