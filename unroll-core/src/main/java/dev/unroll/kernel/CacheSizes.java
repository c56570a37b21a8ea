package dev.unroll.kernel;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * The data caches of the CPU the JVM runs on, per core (L1d, L2) and per L3 instance, as the
 * operating system reports them: on Linux, {@code /sys/devices/system/cpu/cpu0/cache/index*}
 * ({@code level}, {@code type}, {@code size}). Where a size cannot be read (another OS, a
 * container hiding sysfs) the figure the kernels' blocking was designed around is used instead,
 * and {@link #source} says so.
 *
 * @param l1d    bytes of level-1 data cache per core
 * @param l2     bytes of level-2 cache per core
 * @param l3     bytes of one level-3 cache
 * @param source where the sizes came from: {@code sysfs}, or {@code defaults} for any not read
 */
public record CacheSizes(long l1d, long l2, long l3, String source) {
    /** The sizes assumed where none can be read: a 2020s x86 server core. */
    static final CacheSizes DEFAULTS = new CacheSizes(32 << 10, 1 << 20, 16 << 20, "defaults");

    private static final Path SYSFS = Path.of("/sys/devices/system/cpu/cpu0/cache");
    private static final CacheSizes THIS_MACHINE = read(SYSFS);

    /** This machine's caches (read once). */
    public static CacheSizes ofThisMachine() {
        return THIS_MACHINE;
    }

    /** The caches described under {@code dir} (a sysfs {@code cache} directory), defaults for any missing. */
    static CacheSizes read(Path dir) {
        long l1d = 0, l2 = 0, l3 = 0;
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir, "index*")) {
            for (Path index : entries) {
                String type = text(index.resolve("type"));
                String level = text(index.resolve("level"));
                long size = parseSize(text(index.resolve("size")));
                if (type == null || level == null || size <= 0 || type.equals("Instruction")) {
                    continue;
                }
                switch (level) {
                    case "1" -> l1d = size;
                    case "2" -> l2 = size;
                    case "3" -> l3 = size;
                    default -> { }
                }
            }
        } catch (IOException | SecurityException e) {
            return DEFAULTS;
        }
        boolean all = l1d > 0 && l2 > 0 && l3 > 0;
        boolean none = l1d == 0 && l2 == 0 && l3 == 0;
        if (none) {
            return DEFAULTS;
        }
        return new CacheSizes(l1d > 0 ? l1d : DEFAULTS.l1d, l2 > 0 ? l2 : DEFAULTS.l2, l3 > 0 ? l3 : DEFAULTS.l3,
                all ? "sysfs" : "sysfs and defaults");
    }

    /** sysfs's sizes: {@code 32K}, {@code 1024K}, {@code 16M}; 0 if unreadable. */
    static long parseSize(String s) {
        if (s == null || s.isEmpty()) {
            return 0;
        }
        long unit = switch (Character.toUpperCase(s.charAt(s.length() - 1))) {
            case 'K' -> 1L << 10;
            case 'M' -> 1L << 20;
            case 'G' -> 1L << 30;
            default -> 1;
        };
        String digits = unit == 1 ? s : s.substring(0, s.length() - 1);
        try {
            return Long.parseLong(digits.trim()) * unit;
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static String text(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII).trim();
        } catch (IOException | SecurityException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return String.format(Locale.ROOT, "L1d %s, L2 %s, L3 %s (%s)", bytes(l1d), bytes(l2), bytes(l3), source);
    }

    private static String bytes(long b) {
        return b >= 1 << 20 && b % (1 << 20) == 0 ? (b >> 20) + " MiB" : (b >> 10) + " KiB";
    }
}
