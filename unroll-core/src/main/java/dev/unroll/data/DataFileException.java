package dev.unroll.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A data file (IDX, CSV, a data-set directory) that cannot be used as it is: wrong format, truncated,
 * corrupt, or missing pieces. The message starts with the file, and the line when there is one, in
 * the compiler style {@code "prices.csv:17: ..."}, then says what was expected and what was found.
 */
public class DataFileException extends IOException {
    private static final long serialVersionUID = 1L;

    /** The line of a text file the problem is on; 0 when the problem is not tied to a line. */
    private final int line;
    private final transient Path file;

    /** A problem with the file as a whole. */
    public DataFileException(Path file, String problem) {
        this(file, 0, problem, null);
    }

    /** A problem on one line (1-based) of a text file. */
    public DataFileException(Path file, int line, String problem) {
        this(file, line, problem, null);
    }

    /** A problem found by a lower layer, kept as the cause (e.g. a corrupt gzip stream). */
    public DataFileException(Path file, String problem, Throwable cause) {
        this(file, 0, problem, cause);
    }

    /** A problem on one line found by a lower layer (e.g. a byte that is not UTF-8). */
    public DataFileException(Path file, int line, String problem, Throwable cause) {
        super(file + (line > 0 ? ":" + line : "") + ": " + problem, cause);
        this.file = file;
        this.line = line;
    }

    /** The file (or directory) the problem is in. */
    public Path file() {
        return file;
    }

    /** The 1-based line of the problem, or 0 when it concerns the whole file. */
    public int line() {
        return line;
    }
}
