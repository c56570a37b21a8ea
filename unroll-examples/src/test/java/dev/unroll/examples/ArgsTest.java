package dev.unroll.examples;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class ArgsTest {
    private static final String USAGE = "Example [--iterations N] [--learning-rate LR] [--seed S] [--out FILE]";

    private record Settings(int iterations, double learningRate, long seed, Path out) {
    }

    private static Settings read(String... argv) {
        return Args.read(USAGE, argv, a -> new Settings(a.positiveInt("iterations", 1500), a.positiveNumber("learning-rate", 0.001, 1),
                a.seed(42), a.path("out", Path.of("default.safetensors"))));
    }

    private static String error(String... argv) {
        return assertThrows(Args.UsageException.class, () -> read(argv)).getMessage();
    }

    @Test
    void defaultsAreTheSeedsSettingsAndOptionsOverrideThem() {
        assertEquals(new Settings(1500, 0.001, 42, Path.of("default.safetensors")), read());
        assertEquals(new Settings(50, 0.01, -3, Path.of("m.safetensors")),
                read("--iterations", "50", "--seed", "-3", "--learning-rate", "0.01", "--out", "m.safetensors"));
    }

    @Test
    void mistakesNameTheOptionAndShowTheUsage() {
        String unknown = error("--iteration", "5");
        assertTrue(unknown.contains("unknown option '--iteration'") && unknown.contains("usage: " + USAGE), unknown);
        assertTrue(error("--iterations").contains("--iterations needs a value"));
        assertTrue(error("--iterations", "0").contains("--iterations needs a whole number of at least 1, got '0'"));
        assertTrue(error("--iterations", "many").contains("got 'many'"));
        assertTrue(error("--learning-rate", "2").contains("--learning-rate needs a number in (0, 1], got '2'"));
        assertTrue(error("--seed", "x").contains("--seed needs an integer"));
        assertTrue(error("--seed", "1", "--seed", "2").contains("option --seed given twice"));
        assertTrue(error("extra").contains("unknown option 'extra'"));
    }

    @Test
    void helpShowsTheUsage() {
        Args.UsageException e = assertThrows(Args.UsageException.class, () -> read("--help"));
        assertTrue(e.help && e.getMessage().endsWith(USAGE), e.getMessage());
    }
}
