package dev.unroll.spark;

import dev.unroll.kernel.Kernels;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.spark.SparkEnv;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Asks every executor which kernels Unroll runs there ({@code Kernels.provider().name()}): a
 * short job of many small tasks, repeated with more tasks until every registered executor has
 * answered (or a few rounds have passed). An executor on the scalar kernels (its JVM started
 * without {@code --add-modules jdk.incubator.vector} in {@code spark.executor.extraJavaOptions})
 * trains and scores several times slower; {@link Report#warning()} says so on the driver, where the
 * user sees it, and {@link SparkTrainer} logs it there.
 */
public final class KernelProbe {
    private static final Logger LOG = LoggerFactory.getLogger(KernelProbe.class);
    private static final int ROUNDS = 4;

    private KernelProbe() {
    }

    /** One executor's answer. */
    public record Executor(String id, String host, String kernels, String java) implements Serializable {
        public boolean scalar() {
            return kernels.startsWith("scalar");
        }
    }

    /**
     * Every executor that answered, by id, and how many were registered.
     *
     * @param registered executors the driver knew of (1 in local mode: the driver itself)
     */
    public record Report(List<Executor> executors, int registered) {

        /** Executors on the scalar kernels. */
        public List<Executor> scalar() {
            return executors.stream().filter(Executor::scalar).toList();
        }

        /** A message for the user when some executor runs scalar kernels or did not answer, else null. */
        public String warning() {
            List<String> problems = new ArrayList<>();
            for (Executor e : scalar()) {
                problems.add("executor " + e.id + " on " + e.host + " runs the scalar kernels (" + e.kernels + ", Java " + e.java
                        + "): add --add-modules jdk.incubator.vector to spark.executor.extraJavaOptions for the SIMD ones, "
                        + "several times faster");
            }
            if (executors.size() < registered) {
                problems.add("only " + executors.size() + " of " + registered + " executors answered the kernel probe");
            }
            return problems.isEmpty() ? null : String.join("; ", problems);
        }
    }

    /** Probes the executors of {@code spark}, logging a warning on the driver if any runs scalar kernels. */
    public static Report run(SparkSession spark) {
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        int registered = Math.max(1, sc.sc().statusTracker().getExecutorInfos().length - (sc.isLocal() ? 0 : 1));
        Map<String, Executor> seen = new TreeMap<>();
        int tasks = Math.max(2, sc.defaultParallelism()) * 2;
        for (int round = 0; round < ROUNDS && seen.size() < registered; round++, tasks *= 2) {
            List<Integer> slots = new ArrayList<>();
            for (int i = 0; i < tasks; i++) {
                slots.add(i);
            }
            for (Executor e : sc.parallelize(slots, tasks).mapPartitions(KernelProbe::answer).collect()) {
                seen.put(e.id, e);
            }
        }
        Report report = new Report(List.copyOf(seen.values()), registered);
        String warning = report.warning();
        if (warning != null) {
            LOG.warn("Unroll on Spark: {}", warning);
        }
        return report;
    }

    private static Iterator<Executor> answer(Iterator<Integer> ignored) {
        SparkEnv env = SparkEnv.get();
        String host = env.blockManager().blockManagerId().host();
        return List.of(new Executor(env.executorId(), host, Kernels.provider().name(), System.getProperty("java.version"))).iterator();
    }
}
