package dev.unroll.spark;

import org.apache.spark.sql.SparkSession;

/**
 * The one {@code local[2]} session the tests share (starting one takes seconds): two cores, up to
 * three attempts per task so that injected failures are retried, quiet logs, no UI.
 */
final class TestSpark {
    private static SparkSession session;

    private TestSpark() {
    }

    /** Forgets the session (after a test stopped it to start another kind). */
    static synchronized void reset() {
        session = null;
    }

    static synchronized SparkSession session() {
        if (session == null || session.sparkContext().isStopped()) {
            session = SparkSession.builder().master("local[2,3]").appName("unroll-spark-tests")
                    .config("spark.ui.enabled", "false")
                    .config("spark.driver.host", "127.0.0.1")
                    .config("spark.driver.bindAddress", "127.0.0.1")
                    .config("spark.sql.shuffle.partitions", "4")
                    .getOrCreate();
            session.sparkContext().setLogLevel("ERROR");
        }
        return session;
    }
}
