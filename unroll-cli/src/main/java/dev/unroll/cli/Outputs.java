package dev.unroll.cli;

import dev.unroll.io.AtomicFiles;
import dev.unroll.io.Json;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import javax.imageio.ImageIO;

/**
 * The files a command will write, checked before any work starts: every directory is created if
 * needed and proven writable by creating (and removing) a probe file in it, so that a long training
 * run never ends in "cannot write". If the command fails afterwards, {@link #discard()} removes the
 * directories it created that are still empty. Every file is then written atomically
 * ({@link AtomicFiles}): a reader never sees half of one.
 */
final class Outputs {
    private final List<Path> created = new ArrayList<>();

    /**
     * Makes sure {@code dir} exists and can be written; {@code what} names it in errors ("--out"). On
     * failure, the directories created by this check so far are removed.
     */
    Path directory(Path dir, String what) throws IOException {
        try {
            return checkDirectory(dir, what);
        } catch (IOException e) {
            discard();
            throw e;
        }
    }

    private Path checkDirectory(Path dir, String what) throws IOException {
        Path abs = dir.toAbsolutePath().normalize();
        if (Files.exists(abs) && !Files.isDirectory(abs)) {
            throw new IOException("cannot write to " + what + " " + dir + ": it exists and is not a directory");
        }
        try {
            createDirectories(abs);
            Path probe = Files.createTempFile(abs, ".unroll-probe", ".tmp");
            Files.delete(probe);
        } catch (FileAlreadyExistsException e) {
            throw new IOException("cannot write to " + what + " " + dir + ": " + e.getFile() + " is not a directory");
        } catch (AccessDeniedException e) {
            throw new IOException("cannot write to " + what + " " + dir + ": permission denied (" + e.getFile() + ")");
        } catch (FileSystemException e) {
            throw new IOException("cannot write to " + what + " " + dir + ": "
                    + (e.getReason() != null ? e.getReason() : e.getClass().getSimpleName()) + " (" + e.getFile() + ")");
        }
        return dir;
    }

    /** Makes sure {@code file} can be written: not a directory, and its directory writable (same cleanup on failure). */
    Path file(Path file, String what) throws IOException {
        if (Files.isDirectory(file)) {
            discard();
            throw new IOException("cannot write " + what + " " + file + ": it is a directory");
        }
        Path parent = file.toAbsolutePath().normalize().getParent();
        if (parent != null) {
            directory(parent, what + " directory");
        }
        return file;
    }

    /** Runs {@code work} (training); if it fails, {@link #discard()}s before passing the failure on. */
    <T> T discardOnFailure(Supplier<T> work) {
        try {
            return work.get();
        } catch (RuntimeException | Error e) {
            discard();
            throw e;
        }
    }

    /** Removes the directories this check created that are still empty (after a failure). */
    void discard() {
        for (int i = created.size() - 1; i >= 0; i--) {
            try (var entries = Files.list(created.get(i))) {
                if (entries.findAny().isEmpty()) {
                    Files.delete(created.get(i));
                }
            } catch (IOException e) {
                // Leave it: removing an empty directory is a courtesy, not a promise.
            }
        }
        created.clear();
    }

    private void createDirectories(Path abs) throws IOException {
        List<Path> missing = new ArrayList<>();
        for (Path p = abs; p != null && !Files.exists(p); p = p.getParent()) {
            missing.add(0, p);
        }
        for (Path p : missing) {
            Files.createDirectory(p);
            created.add(p);
        }
    }

    // ------------------------------------------------------------------ atomic writes

    static void writeText(Path file, String text) throws IOException {
        AtomicFiles.writeString(file, text);
    }

    static void writeJson(Path file, Object value) throws IOException {
        AtomicFiles.writeString(file, Json.writePretty(value));
    }

    static void writePng(Path file, BufferedImage image) throws IOException {
        AtomicFiles.write(file, out -> {
            if (!ImageIO.write(image, "png", out)) {
                throw new IOException("no PNG writer available in this JVM");
            }
        });
    }
}
