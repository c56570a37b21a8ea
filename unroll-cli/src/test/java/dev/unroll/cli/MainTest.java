package dev.unroll.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MainTest {
    @Test
    void withoutACommandItListsThem() {
        Cli.Result r = Cli.run();
        assertEquals(0, r.exitCode(), r::toString);
        for (String command : new String[] {"forecast", "classify", "predict", "generate", "inspect", "export", "serve"}) {
            assertTrue(r.out().contains("  " + command + " "), r::toString);
        }
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "forecast | --csv --column --holdout --steps --units --activation --iterations --batch --print-every --cell --layers --lr --seed --threads --save --report --out",
        "classify | --data --units --activation --epochs --batch --train-size --test-size --cell --layers --lr --seed --threads --save --report --out",
        "predict  | --model --csv --column --window --images --labels --threads --out",
        "generate | --model --count --mode --window --seed-csv --column --out",
        "inspect  | FILE",
        "export   | --model --onnx --lengths --states",
        "serve    | --model --port --host --io-threads --compute-threads --max-body --max-batch --max-steps --max-horizon --max-sessions --session-idle --step-batch --step-wait-us --shutdown-grace",
    })
    void everyCommandHasHelpListingItsOptions(String command, String options) {
        Cli.Result r = Cli.run(command, "--help");
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().startsWith("Usage: unroll " + command), r::toString);
        for (String option : (options + " --help --version --verbose").split(" +")) {
            assertTrue(r.out().contains(option), option + " in " + r);
        }
    }

    @Test
    void versionNamesJvmAndKernels() {
        Cli.Result r = Cli.run("--version");
        assertEquals(0, r.exitCode(), r::toString);
        assertTrue(r.out().startsWith("unroll "), r::toString);
        assertTrue(r.out().contains("JVM "), r::toString);
        assertTrue(r.out().contains("kernels "), r::toString);
    }
}
