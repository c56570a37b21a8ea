package dev.unroll.examples;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The examples' command-line options: {@code --name value} pairs, each with a default (the seed's
 * setting). The usage line is the single list of valid options, e.g.
 * {@code "TimeSeriesForecast [--iterations N] [--seed S]"}: an option it does not name, a missing
 * or malformed value, or a repeated option is an error that names the option and shows the usage.
 *
 * <pre>{@code
 * Settings s = Args.parse(USAGE, args, a -> new Settings(a.positiveInt("iterations", 1500), a.seed(42)));
 * }</pre>
 */
final class Args {
    private static final Pattern OPTION = Pattern.compile("--([a-z][a-z0-9-]*)");

    private final String usage;
    private final Map<String, String> values = new LinkedHashMap<>();

    /** A bad command line; the message says what is wrong and ends with the usage. */
    static final class UsageException extends IllegalArgumentException {
        private static final long serialVersionUID = 1L;
        /** True when the user asked for the usage ({@code --help}) rather than made a mistake. */
        final boolean help;

        UsageException(String problem, String usage) {
            this(problem, usage, false);
        }

        private UsageException(String problem, String usage, boolean help) {
            super(problem + "\nusage: " + usage);
            this.help = help;
        }
    }

    private Args(String usage, String[] argv) {
        this.usage = usage;
        Set<String> known = new LinkedHashSet<>();
        Matcher m = OPTION.matcher(usage);
        while (m.find()) {
            known.add(m.group(1));
        }
        for (int i = 0; i < argv.length; i++) {
            String arg = argv[i];
            if (arg.equals("--help") || arg.equals("-h")) {
                throw new UsageException("options (each defaults to the seed's setting):", usage, true);
            }
            if (!arg.startsWith("--") || !known.contains(arg.substring(2))) {
                throw new UsageException("unknown option '" + arg + "'", usage);
            }
            if (i + 1 == argv.length) {
                throw new UsageException("option " + arg + " needs a value", usage);
            }
            if (values.put(arg.substring(2), argv[++i]) != null) {
                throw new UsageException("option " + arg + " given twice", usage);
            }
        }
    }

    /**
     * Reads the settings of an example's {@code main}: on a bad command line prints the problem and
     * the usage on stderr and exits with status 2 (status 0 for {@code --help}).
     */
    static <T> T parse(String usage, String[] argv, Function<Args, T> reader) {
        try {
            return read(usage, argv, reader);
        } catch (UsageException e) {
            System.err.println(e.getMessage());
            System.exit(e.help ? 0 : 2);
            throw e;
        }
    }

    /** As {@link #parse} but throws {@link UsageException} instead of exiting. */
    static <T> T read(String usage, String[] argv, Function<Args, T> reader) {
        return reader.apply(new Args(usage, argv));
    }

    /** An integer option of at least 1. */
    int positiveInt(String name, int defaultValue) {
        String v = values.get(name);
        if (v == null) {
            return defaultValue;
        }
        try {
            int n = Integer.parseInt(v.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("--" + name + " needs a whole number of at least 1, got '" + v + "'", usage);
    }

    /** A number in {@code (0, max]}, e.g. a learning rate. */
    double positiveNumber(String name, double defaultValue, double max) {
        String v = values.get(name);
        if (v == null) {
            return defaultValue;
        }
        try {
            double d = Double.parseDouble(v.trim());
            if (d > 0 && d <= max) {
                return d;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        String bound = java.math.BigDecimal.valueOf(max).stripTrailingZeros().toPlainString();
        throw new UsageException("--" + name + " needs a number in (0, " + bound + "], got '" + v + "'", usage);
    }

    /** The {@code --seed} option: any integer. */
    long seed(long defaultValue) {
        String v = values.get("seed");
        if (v == null) {
            return defaultValue;
        }
        try {
            return Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException("--seed needs an integer, got '" + v + "'", usage);
        }
    }

    /** A file or directory option; {@code defaultValue} may be null (none). */
    Path path(String name, Path defaultValue) {
        String v = values.get(name);
        return v == null ? defaultValue : Path.of(v);
    }

    /** A file or directory option that has no default. */
    Path requiredPath(String name, String what) {
        String v = values.get(name);
        if (v == null) {
            throw new UsageException("--" + name + " is required: " + what, usage);
        }
        return Path.of(v);
    }

    /** Where an example writes a file when not told: {@code <tmpdir>/unroll-examples/<name>}. */
    static Path defaultOutput(String fileName) {
        return Path.of(System.getProperty("java.io.tmpdir"), "unroll-examples", fileName);
    }
}
