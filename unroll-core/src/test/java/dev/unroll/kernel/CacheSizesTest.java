package dev.unroll.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cache sizes as Linux's sysfs reports them, and the defaults where it does not. */
class CacheSizesTest {
    private static void index(Path dir, int n, String level, String type, String size) throws IOException {
        Path index = Files.createDirectories(dir.resolve("index" + n));
        Files.writeString(index.resolve("level"), level + "\n");
        Files.writeString(index.resolve("type"), type + "\n");
        Files.writeString(index.resolve("size"), size + "\n");
    }

    @Test
    void readsTheDataCachesOfEachLevel(@TempDir Path dir) throws IOException {
        // AMD EPYC Zen 2 as its sysfs has it: the instruction cache is not a data cache.
        index(dir, 0, "1", "Data", "32K");
        index(dir, 1, "1", "Instruction", "64K");
        index(dir, 2, "2", "Unified", "512K");
        index(dir, 3, "3", "Unified", "16384K");
        assertEquals(new CacheSizes(32 << 10, 512 << 10, 16 << 20, "sysfs"), CacheSizes.read(dir));
        assertEquals("L1d 32 KiB, L2 512 KiB, L3 16 MiB (sysfs)", CacheSizes.read(dir).toString());
    }

    @Test
    void fillsWhatItCannotReadWithTheDefaults(@TempDir Path dir) throws IOException {
        assertEquals(CacheSizes.DEFAULTS, CacheSizes.read(dir.resolve("absent")));
        assertEquals(CacheSizes.DEFAULTS, CacheSizes.read(dir), "no index directories");
        index(dir, 0, "1", "Data", "48K");
        index(dir, 2, "2", "Unified", "garbage");
        CacheSizes partial = CacheSizes.read(dir);
        assertEquals(new CacheSizes(48 << 10, CacheSizes.DEFAULTS.l2(), CacheSizes.DEFAULTS.l3(), "sysfs and defaults"), partial);
    }

    @Test
    void parsesSysfsSizes() {
        assertEquals(32 << 10, CacheSizes.parseSize("32K"));
        assertEquals(2L << 20, CacheSizes.parseSize("2M"));
        assertEquals(4096, CacheSizes.parseSize("4096"));
        assertEquals(0, CacheSizes.parseSize("12Q"));
        assertEquals(0, CacheSizes.parseSize(""));
        assertEquals(0, CacheSizes.parseSize(null));
    }

    @Test
    void thisMachinesSizesArePositive() {
        CacheSizes c = CacheSizes.ofThisMachine();
        assertTrue(c.l1d() > 0 && c.l2() > 0 && c.l3() >= 0, c.toString());
        assertTrue(Kernels.tuning().contains("caches " + c), Kernels.tuning());
    }
}
