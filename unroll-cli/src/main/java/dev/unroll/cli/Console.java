package dev.unroll.cli;

import java.io.PrintWriter;
import java.io.Writer;

/**
 * Where a command writes: results (and the final {@code key=value} line) to {@link #out()}, progress
 * and errors to {@link #err()}; and whether standard error is a terminal, which decides between a
 * live progress line redrawn with {@code \r} and plain periodic lines.
 *
 * <p>The JVM cannot tell whether a stream is a terminal, so the {@code ./unroll} launcher says it with
 * {@code -Dunroll.stdout.tty=true|false} and {@code -Dunroll.stderr.tty=true|false}; without them
 * (plain {@code java -jar}, tests) the streams count as not terminals: no {@code \r} in logs.
 */
public final class Console {
    private final PrintWriter out;
    private final PrintWriter err;
    private final boolean errTerminal;

    private Console(PrintWriter out, PrintWriter err, boolean errTerminal) {
        this.out = out;
        this.err = err;
        this.errTerminal = errTerminal;
    }

    /** Standard output and error, terminal-ness from the launcher's system properties. */
    public static Console system() {
        return new Console(new PrintWriter(System.out, true), new PrintWriter(System.err, true),
                Boolean.getBoolean("unroll.stderr.tty"));
    }

    /** Writes to the given writers (tests, embedding); {@code errTerminal} selects the live progress line. */
    public static Console of(Writer out, Writer err, boolean errTerminal) {
        return new Console(new PrintWriter(out, true), new PrintWriter(err, true), errTerminal);
    }

    /** Results: what a command found, and its last {@code key=value} line. */
    public PrintWriter out() {
        return out;
    }

    /** Progress, warnings and errors. */
    public PrintWriter err() {
        return err;
    }

    /** True when standard error is a terminal (progress redrawn in place). */
    public boolean errIsTerminal() {
        return errTerminal;
    }
}
