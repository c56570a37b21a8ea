package dev.unroll.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;

/**
 * Writes files so that a reader never sees half of one: the content goes to a temporary file in
 * the same directory ({@code .<name>.<pid>-<tag>.tmp}), is forced to disk, then renamed over the
 * target in one step. If anything fails, the temporary file is removed and the previous target (if
 * any) is untouched; if the process is killed mid-write, the next write of the same target removes
 * what it left.
 */
public final class AtomicFiles {
    private static final String TEMP_PREFIX = ".";
    private static final String TEMP_SUFFIX = ".tmp";

    private AtomicFiles() {
    }

    /** What writes the content. */
    @FunctionalInterface
    public interface Writer {
        void writeTo(OutputStream out) throws IOException;
    }

    /** Writes {@code file} atomically with the content {@code writer} produces. */
    public static void write(Path file, Writer writer) throws IOException {
        Path target = file.toAbsolutePath();
        Path dir = target.getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            throw new java.nio.file.NoSuchFileException(dir.toString(), null, "directory does not exist");
        }
        if (Files.isDirectory(target)) {
            throw new java.nio.file.FileSystemException(target.toString(), null, "is a directory, cannot be written as a file");
        }
        if (Files.exists(target) && !Files.isRegularFile(target)) {
            // A device or a pipe (/dev/null, a FIFO) would be replaced by the rename, not written to.
            throw new java.nio.file.FileSystemException(target.toString(), null, "is not a regular file, cannot be replaced");
        }
        removeLeftovers(target);
        // A plain new file (not Files.createTempFile, which makes it owner-only): the result gets the
        // same permissions as any file the user creates.
        Path tmp = target.resolveSibling(TEMP_PREFIX + target.getFileName() + "." + ProcessHandle.current().pid() + "-"
                + Long.toHexString(System.nanoTime() ^ Thread.currentThread().getId()) + TEMP_SUFFIX);
        try {
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW);
                 OutputStream out = new java.io.BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16)) {
                writer.writeTo(out);
                out.flush();
                ch.force(true);
            }
            try {
                Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    /**
     * Deletes the temporary files an earlier write of {@code target} left behind when its process
     * was killed: those whose writing process (the pid in their name) is gone, and, from before
     * names held a pid, those untouched for an hour. A write still running in another process keeps
     * its file.
     */
    static void removeLeftovers(Path target) throws IOException {
        String prefix = TEMP_PREFIX + target.getFileName() + ".";
        try (DirectoryStream<Path> candidates = Files.newDirectoryStream(target.getParent(),
                p -> p.getFileName().toString().startsWith(prefix) && p.getFileName().toString().endsWith(TEMP_SUFFIX))) {
            for (Path leftover : candidates) {
                String tag = leftover.getFileName().toString();
                tag = tag.substring(prefix.length(), tag.length() - TEMP_SUFFIX.length());
                if (writerIsGone(tag, leftover)) {
                    Files.deleteIfExists(leftover);
                }
            }
        } catch (java.nio.file.AccessDeniedException e) {
            // A directory we may write into but not list: nothing to clean, the write itself decides.
        }
    }

    private static boolean writerIsGone(String tag, Path leftover) throws IOException {
        int dash = tag.indexOf('-');
        if (dash > 0) {
            try {
                long pid = Long.parseLong(tag.substring(0, dash));
                return ProcessHandle.of(pid).map(p -> !p.isAlive()).orElse(true);
            } catch (NumberFormatException notOurs) {
                return false;
            }
        }
        return Files.getLastModifiedTime(leftover).toMillis() < System.currentTimeMillis() - 3_600_000L;
    }

    /** Writes a UTF-8 text file atomically. */
    public static void writeString(Path file, String text) throws IOException {
        write(file, out -> out.write(text.getBytes(java.nio.charset.StandardCharsets.UTF_8)));
    }
}
