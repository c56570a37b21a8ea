package dev.unroll.spark;

import org.apache.spark.launcher.JavaModuleOptions;

/**
 * Prints the JVM options a driver or executor of this module needs, one line: Spark's own
 * ({@code JavaModuleOptions}: its add-opens list and, on JDK 23+, the memory-access flags) and the
 * Vector API module for Unroll's SIMD kernels. {@code unroll-spark/run} starts the job with them.
 */
public final class JvmOptions {
    static final String VECTOR = "--add-modules=jdk.incubator.vector";

    private JvmOptions() {
    }

    /** The options, space-separated. */
    public static String line() {
        String spark = JavaModuleOptions.defaultModuleOptions();
        return spark.contains(VECTOR) ? spark : spark + " " + VECTOR;
    }

    public static void main(String[] args) {
        System.out.println(line());
    }
}
