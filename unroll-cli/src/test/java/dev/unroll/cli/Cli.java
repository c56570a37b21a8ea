package dev.unroll.cli;

import java.io.StringWriter;
import java.util.List;

/** Runs the command line in-process, capturing what it prints. */
final class Cli {
    private Cli() {
    }

    /** What one run printed and returned. */
    record Result(int exitCode, String out, String err) {
        List<String> outLines() {
            return out.lines().toList();
        }

        List<String> errLines() {
            return err.lines().toList();
        }

        /** The last line of standard output. */
        String lastLine() {
            List<String> lines = outLines();
            return lines.isEmpty() ? "" : lines.get(lines.size() - 1);
        }

        /** The value of the last line {@code key=value}, checking its key. */
        double lastValue(String key) {
            String last = lastLine();
            if (!last.startsWith(key + "=")) {
                throw new AssertionError("last line should be " + key + "=<value>, got '" + last + "'; out:\n" + out + "\nerr:\n" + err);
            }
            return Double.parseDouble(last.substring(key.length() + 1));
        }

        @Override
        public String toString() {
            return "exit " + exitCode + "\n--- out\n" + out + "--- err\n" + err;
        }
    }

    /** Runs with standard error as a non-terminal (plain progress lines). */
    static Result run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Main.run(Console.of(out, err, false), args);
        return new Result(code, out.toString(), err.toString());
    }
}
