package dev.unroll.fuzz;

import dev.unroll.cli.Console;
import dev.unroll.cli.Main;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The {@code unroll} command line, in process: mutated argument vectors over small real files (a
 * forecaster, a classifier, a CSV series, an MNIST-format directory) and corrupted copies of them.
 * Whatever the arguments, a run exits 0 or 2 (never 1, an internal error), prints no stack trace
 * without {@code --verbose}, and on exit 2 ends with one short {@code unroll: error: ...} line (and
 * at most a pointer to {@code --help}).
 *
 * <p>An input is the arguments one per line, with placeholders for the files: {@code @FORECASTER@},
 * {@code @CLASSIFIER@}, {@code @CSV@}, {@code @IMAGES@}, {@code @LABELS@}, {@code @DATA@} (a
 * directory), {@code @OUT@} (a fresh output directory), {@code @MUTATED:NAME:SEED@}, a copy of
 * file NAME corrupted by the byte mutator with that seed — so an input file of the regression
 * corpus reproduces its run exactly — and {@code @CORPUS:PATH@}, a file of the corpus directory given
 * to the constructor (another target's reproducer handed to a command).
 */
final class CliTarget implements FuzzTarget {
    private static final List<String> SEEDS = List.of(
            "inspect\n@FORECASTER@",
            "inspect\n@CLASSIFIER@",
            "predict\n--model\n@FORECASTER@\n--csv\n@CSV@\n--out\n@OUT@",
            "predict\n--model\n@CLASSIFIER@\n--images\n@IMAGES@\n--labels\n@LABELS@\n--out\n@OUT@",
            "generate\n--model\n@FORECASTER@\n--count\n5\n--mode\nstateful\n--out\n@OUT@",
            "generate\n--model\n@FORECASTER@\n--count\n3\n--window\n4\n--seed-csv\n@CSV@\n--out\n@OUT@",
            "forecast\n--iterations\n2\n--units\n3\n--steps\n5\n--batch\n4\n--threads\n1\n--out\n@OUT@",
            "forecast\n--csv\n@CSV@\n--iterations\n2\n--units\n3\n--steps\n3\n--threads\n1\n--out\n@OUT@",
            "classify\n--data\n@DATA@\n--epochs\n1\n--units\n4\n--batch\n8\n--threads\n1\n--out\n@OUT@",
            "--version",
            "forecast\n--help");
    /** Flags any command might be given. */
    private static final List<String> FLAGS = List.of("--model", "--csv", "--images", "--labels", "--data", "--out", "--save",
            "--report", "--column", "--window", "--count", "--mode", "--cell", "--layers", "--units", "--steps", "--lr", "--seed",
            "--threads", "--holdout", "--activation", "--init", "--train-size", "--test-size", "--print-every", "--seed-csv",
            "--bogus", "-x", "--", "--help");
    /** Values that are wrong, extreme or strange for some flag — but never a valid long workload. */
    private static final List<String> VALUES = List.of("", " ", "-1", "0", "-0", "1", "2147483648", "99999999999",
            "-2147483649", "1e400", "NaN", "-Infinity", "0x10", "1,5", "abc", "\u0000", "é", "\uD83D\uDE00", "lstm", "gru", "relu",
            "stateful", "window", "pytorch", "0.5", "1.0", "2000000000", "@MISSING@", "@SCRATCH@", "/dev/zero", "@CSV@", "@IMAGES@",
            "@FORECASTER@", "@CLASSIFIER@", "@DATA@");
    /** Flags naming files a command writes. */
    private static final List<String> OUTPUT_FLAGS = List.of("--out", "--save", "--report");
    /** Commands that write files (under --out, which defaults to a directory of the working directory). */
    private static final List<String> WRITING_COMMANDS = List.of("forecast", "classify", "predict", "generate");
    /** Flags whose large values are valid and would only make a run long: their values stay small. */
    private static final List<String> WORK_FLAGS = List.of("--iterations", "--epochs", "--batch", "--print-every", "--count");
    private static final List<String> FILES = List.of("FORECASTER", "CLASSIFIER", "CSV", "IMAGES", "LABELS");

    private final Path scratch;
    private final Path corpus;
    private final Map<String, Path> files;
    private final List<byte[]> seeds;
    private int runs;

    /**
     * Trains the small models and writes the files the seeds use, under {@code scratch}; {@code corpus}
     * (or null) is where {@code @CORPUS:PATH@} finds its files.
     */
    CliTarget(Path scratch, Path corpus) throws IOException {
        this.scratch = scratch;
        this.corpus = corpus;
        Path data = CliFixtures.mnistDirectory(scratch.resolve("data"));
        this.files = Map.of("FORECASTER", CliFixtures.forecaster(scratch), "CLASSIFIER", CliFixtures.classifier(scratch, data),
                "CSV", CliFixtures.series(scratch.resolve("series.csv")), "IMAGES", data.resolve("t10k-images-idx3-ubyte"),
                "LABELS", data.resolve("t10k-labels-idx1-ubyte"), "DATA", data);
        this.seeds = SEEDS.stream().map(s -> s.getBytes(StandardCharsets.UTF_8)).toList();
    }

    @Override
    public String name() {
        return "cli";
    }

    @Override
    public List<byte[]> seeds() {
        return seeds;
    }

    @Override
    public byte[] mutate(byte[] seed, byte[] other, Mutator m) {
        List<String> tokens = new ArrayList<>(Arrays.asList(new String(seed, StandardCharsets.UTF_8).split("\n", -1)));
        int rounds = 1 + m.nextInt(3);
        for (int r = 0; r < rounds; r++) {
            int at = m.nextInt(tokens.size());
            String token = tokens.get(at);
            switch (m.nextInt(7)) {
                case 0 -> {
                    boolean work = at > 0 && WORK_FLAGS.contains(tokens.get(at - 1));
                    tokens.set(at, work ? m.pick(List.of("0", "-1", "1", "abc", "1e400", "99999999999")) : m.pick(VALUES));
                }
                case 1 -> tokens.set(at, "@MUTATED:" + m.pick(FILES) + ":" + m.nextInt(1 << 30) + "@");
                case 2 -> {
                    if (tokens.size() > 1) {
                        tokens.remove(at);
                    }
                }
                case 3 -> tokens.add(at, token);
                case 4 -> {
                    tokens.add(at, m.pick(FLAGS));
                    if (m.nextInt(2) == 0) {
                        tokens.add(at + 1, m.pick(VALUES));
                    }
                }
                case 5 -> {
                    if (at + 1 < tokens.size()) {
                        tokens.set(at, tokens.get(at + 1));
                        tokens.set(at + 1, token);
                    }
                }
                default -> tokens.set(at, new String(m.mutate(token.getBytes(StandardCharsets.UTF_8), new byte[0]), StandardCharsets.UTF_8));
            }
        }
        return String.join("\n", tokens).getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void run(byte[] input) throws IOException {
        Path work = Files.createDirectories(scratch.resolve("run-" + runs++));
        try {
            // Each run gets its own copies: a run that writes over a file it was given (--save @CSV@)
            // must not change what later runs read.
            Map<String, Path> copies = new java.util.HashMap<>();
            for (Map.Entry<String, Path> f : files.entrySet()) {
                copies.put(f.getKey(), copyTree(f.getValue(), work.resolve("given-" + f.getKey().toLowerCase())));
            }
            String[] args = arguments(new String(input, StandardCharsets.UTF_8), work, copies, corpus);
            StringWriter out = new StringWriter();
            StringWriter err = new StringWriter();
            int code = Main.run(Console.of(out, err, false), args);
            check(code, err.toString(), Arrays.asList(args).contains("--verbose"));
            if (code == Main.EXIT_BAD_INPUT) {
                throw new Rejected(err.toString().lines().reduce((a, b) -> b).orElse(""));
            }
        } finally {
            deleteTree(work);
        }
    }

    private static String[] arguments(String text, Path work, Map<String, Path> files, Path corpus) throws IOException {
        List<String> args = new ArrayList<>();
        for (String token : text.split("\n", -1)) {
            if (corpus != null && token.startsWith("@CORPUS:") && token.endsWith("@")) {
                args.add(corpus.resolve(token.substring("@CORPUS:".length(), token.length() - 1)).toString());
            } else {
                args.add(resolve(token, work, files));
            }
        }
        confineWrites(args, work);
        return args.toArray(String[]::new);
    }

    /**
     * Keeps every file a run may write inside its work directory: relative values of the output
     * flags are resolved against it, and a command that writes gets {@code --out} there when it has
     * none (its default is relative to the working directory).
     */
    private static void confineWrites(List<String> args, Path work) {
        boolean hasOut = false;
        for (int i = 0; i < args.size(); i++) {
            String a = args.get(i);
            for (String flag : OUTPUT_FLAGS) {
                if (a.equals(flag) && i + 1 < args.size()) {
                    args.set(i + 1, inside(work, args.get(i + 1)));
                    hasOut |= flag.equals("--out");
                } else if (a.startsWith(flag + "=")) {
                    args.set(i, flag + "=" + inside(work, a.substring(flag.length() + 1)));
                    hasOut |= flag.equals("--out");
                }
            }
        }
        if (!hasOut && !args.isEmpty() && WRITING_COMMANDS.contains(args.get(0))) {
            args.add("--out");
            args.add(work.resolve("out").toString());
        }
    }

    private static String inside(Path work, String value) {
        try {
            return Path.of(value).isAbsolute() ? value : work.resolve(value).toString();
        } catch (java.nio.file.InvalidPathException e) {
            return value; // not a path at all: the command reports it
        }
    }

    private static Path copyTree(Path from, Path to) throws IOException {
        if (!Files.isDirectory(from)) {
            return Files.copy(from, to);
        }
        Files.createDirectories(to);
        try (Stream<Path> entries = Files.list(from)) {
            for (Path p : entries.toList()) {
                Files.copy(p, to.resolve(p.getFileName()));
            }
        }
        return to;
    }

    /** A token with its placeholders replaced by paths (creating corrupted copies where asked). */
    private static String resolve(String token, Path work, Map<String, Path> files) throws IOException {
        if (token.startsWith("@MUTATED:") && token.endsWith("@")) {
            String[] parts = token.substring(1, token.length() - 1).split(":");
            Path original = parts.length == 3 ? files.get(parts[1]) : null;
            if (original != null && parts[2].matches("\\d{1,10}")) {
                byte[] bytes = Files.readAllBytes(original);
                Path copy = work.resolve("mutated-" + original.getFileName());
                Files.write(copy, new Mutator(Long.parseLong(parts[2])).mutate(bytes, bytes));
                return copy.toString();
            }
        }
        String resolved = token.replace("@OUT@", work.resolve("out").toString())
                .replace("@MISSING@", work.resolve("missing").toString())
                .replace("@SCRATCH@", work.toString());
        for (Map.Entry<String, Path> f : files.entrySet()) {
            resolved = resolved.replace("@" + f.getKey() + "@", f.getValue().toString());
        }
        return resolved;
    }

    private static void check(int code, String err, boolean verbose) {
        List<String> lines = err.lines().toList();
        if (code == Main.EXIT_INTERNAL) {
            throw new AssertionError("an internal error (exit 1): " + String.join(" | ", lines.subList(0, Math.min(3, lines.size()))));
        }
        if (!verbose && err.contains("\tat ")) {
            throw new AssertionError("a stack trace without --verbose: " + lines.get(0));
        }
        if (code == Main.EXIT_BAD_INPUT && !verbose) {
            int error = -1;
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).startsWith("unroll: error: ")) {
                    error = i;
                }
            }
            if (error < 0 || lines.size() - error > 2 || lines.get(error).length() > 2000) {
                throw new AssertionError("exit 2 without one short 'unroll: error:' line at the end: "
                        + String.join(" | ", lines.subList(Math.max(0, lines.size() - 3), lines.size())));
            }
        } else if (code != 0 && code != Main.EXIT_BAD_INPUT) {
            throw new AssertionError("exit code " + code);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> {
                try {
                    Files.delete(p);
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }

    /** A run that ended as bad input should: exit 2 with one error line (the message). */
    static final class Rejected extends RuntimeException {
        private static final long serialVersionUID = 1L;

        Rejected(String message) {
            super(message);
        }
    }

    @Override
    public boolean documented(Throwable t) {
        return t instanceof Rejected;
    }
}
