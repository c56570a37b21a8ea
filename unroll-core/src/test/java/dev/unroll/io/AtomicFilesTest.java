package dev.unroll.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.nn.CellType;
import dev.unroll.nn.Dense;
import dev.unroll.nn.Recurrent;
import dev.unroll.nn.Sequential;
import dev.unroll.tensor.Rng;
import dev.unroll.tensor.Tensor;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AtomicFilesTest {
    @TempDir
    Path dir;

    private List<String> temporaryFiles() throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".tmp")).sorted().toList();
        }
    }

    @Test
    void leftoversOfDeadWritersAreRemovedAndThoseOfLiveOnesKept() throws Exception {
        Process finished = new ProcessBuilder("true").start();
        finished.waitFor();
        Path target = dir.resolve("m.safetensors");
        Path dead = Files.writeString(dir.resolve(".m.safetensors." + finished.pid() + "-1a2b.tmp"), "half");
        Path alive = Files.writeString(dir.resolve(".m.safetensors." + ProcessHandle.current().pid() + "-3c4d.tmp"), "busy");
        Path oldStyle = Files.writeString(dir.resolve(".m.safetensors.5e6f.tmp"), "old");
        Files.setLastModifiedTime(oldStyle, FileTime.fromMillis(System.currentTimeMillis() - 7_200_000L));
        Path recentOldStyle = Files.writeString(dir.resolve(".m.safetensors.7a8b.tmp"), "recent");
        Path otherTarget = Files.writeString(dir.resolve(".other.safetensors." + finished.pid() + "-1.tmp"), "not ours");
        AtomicFiles.writeString(target, "done");
        assertEquals("done", Files.readString(target));
        assertFalse(Files.exists(dead));
        assertFalse(Files.exists(oldStyle));
        assertTrue(Files.exists(alive) && Files.exists(recentOldStyle) && Files.exists(otherTarget));
    }

    @Test
    void specialFilesAreNeverReplaced() {
        java.nio.file.FileSystemException e = org.junit.jupiter.api.Assertions.assertThrows(java.nio.file.FileSystemException.class,
                () -> AtomicFiles.writeString(Path.of("/dev/null"), "x"));
        assertTrue(e.getMessage().contains("/dev/null: is not a regular file"), e.getMessage());
        assertFalse(Files.isRegularFile(Path.of("/dev/null")), "still the device");
        e = org.junit.jupiter.api.Assertions.assertThrows(java.nio.file.FileSystemException.class,
                () -> AtomicFiles.writeString(dir, "x"));
        assertTrue(e.getMessage().contains("is a directory"), e.getMessage());
    }

    @Test
    void aSaveKilledMidWriteLeavesNothingAfterTheNextSave() throws Exception {
        Path target = dir.resolve("model.safetensors");
        Sequential model = Sequential.of(Recurrent.builder(CellType.GRU, 3, 8).rng(new Rng(1)).build(), new Dense(8, 2, new Rng(2)));
        Checkpoint.save(model, target);
        byte[] saved = Files.readAllBytes(target);
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        for (int kill = 0; kill < 5; kill++) {
            Process writer = new ProcessBuilder(java, "-cp", System.getProperty("java.class.path"), SlowWriter.class.getName(),
                    target.toString()).redirectErrorStream(true).start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (temporaryFiles().isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(5);
            }
            assertFalse(temporaryFiles().isEmpty(), "the writer started");
            writer.destroyForcibly().waitFor();
            // The killed save left its file; the one killed before was removed when this save began.
            assertEquals(1, temporaryFiles().size(), temporaryFiles().toString());
        }
        assertArrayEquals(saved, Files.readAllBytes(target), "the model is untouched by the killed saves");
        Checkpoint.save(model, target);
        assertEquals(List.of(), temporaryFiles());
        Tensor x = Tensor.randn(new Rng(3), 2, 4, 3);
        assertArrayEquals(model.predict(x).toArray(), ((Sequential) Checkpoint.load(target)).predict(x).toArray());
    }

    /** Writes its target atomically, slowly, forever: a save for the parent test to kill. */
    public static final class SlowWriter {
        public static void main(String[] args) throws Exception {
            AtomicFiles.write(Path.of(args[0]), out -> {
                while (true) {
                    out.write(new byte[1024]);
                    out.flush();
                    try {
                        Thread.sleep(1);
                    } catch (InterruptedException e) {
                        throw new IOException(e);
                    }
                }
            });
        }
    }
}
