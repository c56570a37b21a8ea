package dev.unroll.tensor;

/**
 * The heap a reader may fill, checked before it allocates what a file announces: a length field that
 * asks for more than the JVM could ever hold is reported as such (naming the size, the limit and
 * {@code -Xmx}) instead of ending in an {@link OutOfMemoryError} half-way through.
 */
public final class Memory {
    private Memory() {
    }

    /** The most the heap can grow to ({@code -Xmx}). */
    public static long maxHeapBytes() {
        return Runtime.getRuntime().maxMemory();
    }

    /** True when {@code bytes} could fit in the heap at all. */
    public static boolean couldHold(long bytes) {
        return bytes >= 0 && bytes <= maxHeapBytes();
    }

    /** {@code "1.5 GiB"}, {@code "320 bytes"}: sizes for messages. */
    public static String describe(long bytes) {
        if (bytes < 1024) {
            return bytes + " bytes";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double v = bytes;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(java.util.Locale.ROOT, "%.1f %s", v, units[u]);
    }

    /**
     * The sentence that ends a too-large message: {@code "needs 8.0 GiB; the JVM's heap is limited to
     * 512.0 MiB (-Xmx)"}.
     */
    public static String tooLarge(long bytes) {
        return "needs " + describe(bytes) + "; the JVM's heap is limited to " + describe(maxHeapBytes()) + " (-Xmx)";
    }
}
