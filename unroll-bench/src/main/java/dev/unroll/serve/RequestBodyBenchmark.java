package dev.unroll.serve;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
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
 * Reading one {@code /predict} body into floats, as the server does ({@link JsonBodies#read}: the
 * fast reader) and by Jackson's tokenizer alone ({@link JsonBodies#readWithJackson}). The body:
 * {@code -p body=FILE} (e.g. an MNIST image from {@code tools/serve/bodies.py classify}), of
 * {@code -p features=N} numbers per step. In package {@code dev.unroll.serve} to reach the reader.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class RequestBodyBenchmark {
    @Param("body.json")
    public String body;

    @Param("28")
    public int features;

    private byte[] bytes;
    private JsonBodies.Field inputs;

    @Setup
    public void setUp() {
        try {
            bytes = Files.readAllBytes(Path.of(body));
        } catch (IOException e) {
            throw new UncheckedIOException("RequestBodyBenchmark: cannot read -p body=" + body, e);
        }
        inputs = JsonBodies.floats("inputs", new String[] {"sequences", "steps", "features"}, new int[] {64, 2048, Integer.MAX_VALUE},
                new String[] {"--max-batch", "--max-steps", null}, new int[] {0, 0, features});
    }

    @Benchmark
    public Map<String, Object> server() {
        return JsonBodies.read(bytes, inputs);
    }

    @Benchmark
    public Map<String, Object> jacksonAlone() {
        return JsonBodies.readWithJackson(bytes, inputs);
    }
}
