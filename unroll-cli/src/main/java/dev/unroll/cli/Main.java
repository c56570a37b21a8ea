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
        description = "Recurrent neural networks for the JVM: train, evaluate, predict, generate, inspect and benchmark.",
        subcommands = {CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    /** Exit code for bad input: unknown flags, bad values, unreadable or malformed files. */
    public static final int EXIT_BAD_INPUT = 2;
    /** Exit code for a failure that is Unroll's fault. */
    public static final int EXIT_INTERNAL = 1;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    public static void main(String[] args) {
        System.exit(run(args));
    }

    /** Runs the command line and returns the exit code (for tests and embedding). */
    public static int run(String... args) {
        boolean verbose = Arrays.asList(args).contains("--verbose");
        if (verbose) {
            // Must happen before the first logger is created.
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "info");
        }
        CommandLine cli = commandLine();
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            PrintWriter err = commandLine.getErr();
            boolean badInput = isBadInput(e);
            err.println("unroll: " + (badInput ? "error: " : "internal error: ") + describe(e));
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
            err.println("unroll: error: " + e.getMessage());
            err.println("(see '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help')");
            err.flush();
            return EXIT_BAD_INPUT;
        });
        return cli.execute(args);
    }

    /** The configured picocli command line with every sub-command. */
    static CommandLine commandLine() {
        CommandLine cli = new CommandLine(new Main());
        cli.setCaseInsensitiveEnumValuesAllowed(true);
        return cli;
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
        if (e instanceof UncheckedIOException && e.getCause() != null) {
            return describe(e.getCause());
        }
        return message == null ? e.getClass().getSimpleName() : message;
    }

    /** Version from the jar manifest, with the JVM and the kernels in use. */
    static final class Version implements IVersionProvider {
        @Override
        public String[] getVersion() {
            String v = Main.class.getPackage().getImplementationVersion();
            return new String[] {
                "unroll " + (v == null ? "(development build)" : v),
                "JVM " + System.getProperty("java.vm.name") + " " + System.getProperty("java.version"),
                "kernels " + dev.unroll.kernel.Kernels.provider().name(),
            };
        }
    }
}
