package dev.unroll.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Arrays;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;

/**
 * The {@code unroll} command. Each sub-command is one class; this one owns the conventions shared
 * by all: {@code --help} and {@code --version} everywhere, a one-line error and exit code 2 for bad
 * input (stack traces only with {@code --verbose}), exit code 1 for internal failures.
 */
@Command(name = "unroll",
        mixinStandardHelpOptions = true,
        versionProvider = Main.Version.class,
        description = "Recurrent neural networks for the JVM: train, evaluate, predict, generate, inspect, export, serve and benchmark.",
        subcommands = {ForecastCommand.class, ClassifyCommand.class, TextCommand.class, PredictCommand.class, GenerateCommand.class,
            InspectCommand.class, ExportCommand.class, ServeCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    /** Exit code for bad input: unknown flags, bad values, unreadable or malformed files. */
    public static final int EXIT_BAD_INPUT = 2;
    /** Exit code for a failure that is Unroll's fault. */
    public static final int EXIT_INTERNAL = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(names = "--verbose", scope = CommandLine.ScopeType.INHERIT,
            description = "Show the stack trace of an error, and the library's log (e.g. which kernels run).")
    boolean verbose;

    private final Console console;

    Main(Console console) {
        this.console = console;
    }

    /** Where the sub-commands write. */
    Console console() {
        return console;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(run(Console.system(), args));
    }

    /** Runs the command line on standard output and error and returns the exit code. */
    public static int run(String... args) {
        return run(Console.system(), args);
    }

    /** Runs the command line writing to {@code console} and returns the exit code (for tests and embedding). */
    public static int run(Console console, String... args) {
        // Plots are drawn off-screen; no display is needed or wanted.
        System.setProperty("java.awt.headless", "true");
        boolean verbose = Arrays.asList(args).contains("--verbose");
        if (verbose) {
            // Must happen before the first logger is created.
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "info");
        }
        CommandLine cli = commandLine(console);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            boolean badInput = isBadInput(e);
            err.println("unroll: " + (badInput ? "error: " : "internal error: ") + shorten(describe(e)));
            if (verbose) {
                e.printStackTrace(err);
            } else if (!badInput) {
                err.println("(run again with --verbose for the stack trace)");
            }
            err.flush();
            return badInput ? EXIT_BAD_INPUT : EXIT_INTERNAL;
        });
        cli.setParameterExceptionHandler((e, args1) -> {
            PrintWriter err = e.getCommandLine().getErr();
            err.println("unroll: error: " + shorten(e.getMessage()));
            err.println("(see '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
            err.flush();
            return EXIT_BAD_INPUT;
        });
        try {
            return cli.execute(args);
        } catch (OutOfMemoryError | StackOverflowError e) {
            // Errors escape picocli's handlers; these two are what an input too large or too deep causes.
            PrintWriter err = console.err();
            err.println("unroll: error: " + describeResourceError(e));
            if (verbose) {
                e.printStackTrace(err);
            }
            err.flush();
            return EXIT_BAD_INPUT;
        } catch (Throwable e) {
            PrintWriter err = console.err();
            err.println("unroll: internal error: " + shorten(describe(e)));
            if (verbose) {
                e.printStackTrace(err);
            } else {
                err.println("(run again with --verbose for the stack trace)");
            }
            err.flush();
            return EXIT_INTERNAL;
        }
    }

    /** The longest error line printed: picocli's messages quote what was typed, which may be anything. */
    static final int MAX_MESSAGE = 500;

    /** {@code message} on one line of at most {@link #MAX_MESSAGE} characters. */
    static String shorten(String message) {
        String line = message == null ? "" : message.replace('\n', ' ').replace('\r', ' ');
        return line.length() <= MAX_MESSAGE ? line : line.substring(0, MAX_MESSAGE) + "... (" + line.length() + " characters)";
    }

    /** One line for an error the JVM raises when an input is too large or too deeply nested. */
    static String describeResourceError(VirtualMachineError e) {
        if (e instanceof StackOverflowError) {
            return "the input is nested too deeply to process (the thread's stack overflowed; -Xss raises its size)";
        }
        return "out of memory: the work needs more than the JVM's heap of " + dev.unroll.tensor.Memory.describe(
                dev.unroll.tensor.Memory.maxHeapBytes()) + "; use smaller sizes, or give Java more heap (-Xmx: JAVA_OPTS=-Xmx16g"
                + " ./unroll ...)";
    }

    /** The configured picocli command line with every sub-command. */
    static CommandLine commandLine(Console console) {
        CommandLine cli = new CommandLine(new Main(console));
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        // Enums with ids of their own ("forward-fill", "weekday"), parsed by the library with its messages.
        cli.registerConverter(dev.unroll.forecast.Strategy.class, library(dev.unroll.forecast.Strategy::parse));
        cli.registerConverter(dev.unroll.data.MissingValues.class, library(dev.unroll.data.MissingValues::parse));
        cli.registerConverter(dev.unroll.data.Calendar.class, library(dev.unroll.data.Calendar::parse));
        cli.registerConverter(dev.unroll.preprocess.SeriesPreprocessing.Normalization.class,
                library(dev.unroll.preprocess.SeriesPreprocessing.Normalization::parse));
        cli.registerConverter(dev.unroll.preprocess.SeriesPreprocessing.Deseasonalize.class,
                library(dev.unroll.preprocess.SeriesPreprocessing.Deseasonalize::parse));
        cli.setOut(console.out());
        cli.setErr(console.err());
        return cli;
    }

    /** A converter that parses with the library, its IllegalArgumentException becoming picocli's one-line error. */
    private static <T> CommandLine.ITypeConverter<T> library(java.util.function.Function<String, T> parse) {
        return value -> {
            try {
                return parse.apply(value);
            } catch (IllegalArgumentException e) {
                throw new CommandLine.TypeConversionException(e.getMessage());
            }
        };
    }

    /** The Unroll version from the jar manifest, or {@code "development build"} when run from classes. */
    static String version() {
        String v = Main.class.getPackage().getImplementationVersion();
        return v == null ? "development build" : v;
    }

    /**
     * Errors caused by what the user gave (files, values), as opposed to bugs. The library reports
     * bad input with IllegalArgumentException (including shape errors), IOException and
     * IllegalStateException for files in the wrong state.
     */
    static boolean isBadInput(Throwable e) {
        return e instanceof IllegalArgumentException || e instanceof IOException
                || e instanceof UncheckedIOException || e instanceof IllegalStateException;
    }

    private static String describe(Throwable e) {
        String message = e.getMessage();
        if (e instanceof java.nio.file.NoSuchFileException) {
            return "no such file: " + message;
        }
        if (e instanceof java.nio.file.AccessDeniedException) {
            return "permission denied: " + message;
        }
        if (e instanceof java.nio.file.FileSystemException f && f.getReason() != null && f.getFile() != null) {
            return f.getFile() + ": " + f.getReason();
        }
        if (e instanceof UncheckedIOException && e.getCause() != null) {
            return describe(e.getCause());
        }
        return message == null ? e.getClass().getSimpleName() : message;
    }

    /** Version from the jar manifest, with the JVM and the kernels in use. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {
                "unroll " + version(),
                "JVM " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
                "kernels " + dev.unroll.kernel.Kernels.provider().name(),
            };
        }
    }
}
