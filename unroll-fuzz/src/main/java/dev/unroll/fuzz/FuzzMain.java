package dev.unroll.fuzz;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;

/**
 * Longer fuzzing runs than the tests make (see {@code docs/robustness.md}):
 *
 * <pre>
 *   unroll-fuzz/run [--inputs N] [--seed S] [--targets json,csv,...] [--timeout-ms MS] [--findings DIR]
 * </pre>
 *
 * Prints one line per target (inputs, rejected as documented, findings, seconds), writes each
 * finding's input and problem under {@code DIR/<target>/}, and exits 1 if there was any.
 */
public final class FuzzMain {
    private FuzzMain() {
    }

    public static void main(String[] args) throws IOException {
        int inputs = 100_000;
        long seed = 1;
        List<String> names = null;
        long timeoutMs = 5_000;
        Path findingsDir = Path.of("fuzz-findings");
        for (int i = 0; i < args.length; i++) {
            String value = i + 1 < args.length ? args[i + 1] : "";
            switch (args[i]) {
                case "--inputs" -> inputs = Integer.parseInt(value);
                case "--seed" -> seed = Long.parseLong(value);
                case "--targets" -> names = List.of(value.split(","));
                case "--timeout-ms" -> timeoutMs = Long.parseLong(value);
                case "--findings" -> findingsDir = Path.of(value);
                default -> {
                    System.err.println("usage: run [--inputs N] [--seed S] [--targets a,b] [--timeout-ms MS] [--findings DIR]");
                    System.exit(2);
                }
            }
            i++;
        }
        Path scratch = Files.createTempDirectory("unroll-fuzz");
        List<FuzzTarget> targets = new ArrayList<>();
        for (FuzzTarget t : Targets.all(scratch, names == null || names.contains("cli"), null)) {
            if (names == null || names.contains(t.name())) {
                targets.add(t);
            }
        }
        Fuzzer fuzzer = new Fuzzer(Duration.ofMillis(timeoutMs));
        System.out.printf(Locale.ROOT, "%-12s %9s %9s %9s %9s   (heap limit %s)%n", "target", "inputs", "rejected", "findings", "seconds",
                dev.unroll.tensor.Memory.describe(dev.unroll.tensor.Memory.maxHeapBytes()));
        int total = 0;
        for (FuzzTarget t : targets) {
            Fuzzer.Result r = fuzzer.run(t, t.name().equals("cli") ? Math.max(1, inputs / 100) : inputs, seed);
            System.out.printf(Locale.ROOT, "%-12s %9d %9d %9d %9.1f%n", r.target(), r.inputs(), r.rejected(), r.findings().size(),
                    r.seconds());
            for (Fuzzer.Finding f : r.findings()) {
                save(findingsDir, f);
            }
            total += r.findings().size();
        }
        System.out.println("findings=" + total);
        System.exit(total == 0 ? 0 : 1);
    }

    private static void save(Path dir, Fuzzer.Finding f) throws IOException {
        Path target = Files.createDirectories(dir.resolve(f.target()));
        String name;
        try {
            name = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(f.input())).substring(0, 16);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        Files.write(target.resolve(name), f.input());
        Files.writeString(target.resolve(name + ".txt"), f.problem() + "\n");
        System.out.println("  " + f.target() + "/" + name + ": " + f.problem().lines().findFirst().orElse(""));
    }
}
