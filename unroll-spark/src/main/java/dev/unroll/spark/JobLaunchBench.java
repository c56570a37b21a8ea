package dev.unroll.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.SparkSession;

/**
 * The job-launch term of the cost model in {@code docs/spark.md}: milliseconds per trivial job
 * ({@code parallelize(...).map(...).collect()}) with 2, 16, 64 and 256 tasks, 40 jobs each after 30
 * to warm up. {@code MAIN=dev.unroll.spark.JobLaunchBench unroll-spark/run --master local[2]}.
 */
public final class JobLaunchBench {
    private JobLaunchBench() {
    }

    public static void main(String[] args) {
        String master = args.length == 2 && args[0].equals("--master") ? args[1] : "local[2]";
        SparkSession spark = SparkSession.builder().master(master).appName("unroll-job-launch").config("spark.ui.enabled", "false")
                .config("spark.driver.host", "127.0.0.1").config("spark.driver.bindAddress", "127.0.0.1").getOrCreate();
        spark.sparkContext().setLogLevel("WARN");
        JavaSparkContext sc = JavaSparkContext.fromSparkContext(spark.sparkContext());
        for (int tasks : new int[] {2, 16, 64, 256}) {
            List<Integer> items = new ArrayList<>();
            for (int i = 0; i < tasks; i++) {
                items.add(i);
            }
            for (int i = 0; i < 30; i++) {
                sc.parallelize(items, tasks).map(x -> x + 1).collect();
            }
            long start = System.nanoTime();
            for (int i = 0; i < 40; i++) {
                sc.parallelize(items, tasks).map(x -> x + 1).collect();
            }
            System.out.printf(Locale.ROOT, "%s, %d tasks: %.2f ms per job%n", master, tasks, (System.nanoTime() - start) / 1e6 / 40);
        }
        spark.stop();
    }
}
