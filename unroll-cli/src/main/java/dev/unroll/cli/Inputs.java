package dev.unroll.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

/** Checks on input files that give a message naming the file (the JVM's "Is a directory" names none). */
final class Inputs {
    private Inputs() {
    }

    /** {@code file} must be an existing regular file. */
    static Path file(Path file) throws IOException {
        if (Files.isDirectory(file)) {
            throw new IOException(file + " is a directory, not a file");
        }
        if (!Files.exists(file)) {
            throw new NoSuchFileException(file.toString());
        }
        if (!Files.isReadable(file)) {
            throw new IOException(file + ": cannot be read (permission denied)");
        }
        return file;
    }
}
