package dev.unroll.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.io.Checkpoint;
import dev.unroll.io.SafeTensors;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every kind of bad input gives one line {@code unroll: error: ...} naming the problem, exit code 2,
 * no stack trace (unless {@code --verbose}), and writes nothing.
 */
class BadInputTest {
    @TempDir
    static Path shared;
    static Path forecaster;
    static Path classifier;

    @TempDir
    Path dir;

    @BeforeAll
    static void train() throws IOException {
        forecaster = Models.forecaster(shared);
        classifier = Models.classifier(shared);
    }

    /** Runs a command that must fail on bad input, with its output going to {@code dir/out}, and checks nothing was written there. */
    private Cli.Result fails(String... args) {
        List<String> all = new ArrayList<>(Arrays.asList(args));
        boolean hasOut = all.contains("--out");
        String command = all.get(0);
        if (!hasOut && !command.equals("inspect") && !command.equals("bench")) {
            all.add("--out");
            all.add(dir.resolve("out").toString());
        }
        Cli.Result r = Cli.run(all.toArray(String[]::new));
        assertEquals(Main.EXIT_BAD_INPUT, r.exitCode(), r::toString);
        List<String> err = r.errLines();
        assertFalse(err.isEmpty(), r::toString);
        assertTrue(err.get(0).startsWith("unroll: error: "), r::toString);
        assertTrue(err.size() <= 2, "one line, and at most a pointer to --help: " + r);
        assertFalse(r.err().contains("\tat "), "no stack trace without --verbose: " + r);
        assertFalse(Files.exists(dir.resolve("out")), "nothing written: " + r);
        return r;
    }

    private static void mentions(Cli.Result r, String... fragments) {
        for (String f : fragments) {
            assertTrue(r.errLines().get(0).contains(f), "'" + f + "' in: " + r);
        }
    }

    // ------------------------------------------------------------------ flags and values

    @Test
    void unknownFlag() {
        mentions(fails("forecast", "--bogus", "3"), "Unknown option", "--bogus");
        mentions(fails("forecast", "--help-me"), "--help-me");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "forecast --units 0                  | --units must be at least 1, got 0",
        "forecast --steps 0                  | --steps must be between 1 and 1000000, got 0",
        "forecast --units 2000000000         | rnn(1 -> 2000000000): 4000000006000000000 parameters, more than the 2^31-1 an Unroll model holds",
        "forecast --threads 100000           | --threads must be between 1 and 1024, got 100000",
        "bench gemm --size 2000000000        | --size must be between 1 and 8192, got 2000000000",
        "bench gemm --size 99999999999       | Invalid value for option '--size': '99999999999' is not an int",
        "generate --model m --count 2000000000 | --count must be between 1 and 10000000, got 2000000000",
        "forecast --iterations -5            | --iterations must be at least 1, got -5",
        "forecast --batch 0                  | --batch must be at least 1, got 0",
        "forecast --lr 0                     | --lr must be a number greater than 0, got 0.0",
        "forecast --lr -0.1                  | --lr must be a number greater than 0, got -0.1",
        "forecast --lr NaN                   | --lr must be a number greater than 0, got NaN",
        "forecast --threads 0                | --threads must be between 1 and 1024, got 0",
        "forecast --layers 0                 | --layers must be at least 1, got 0",
        "forecast --print-every 0            | --print-every must be at least 1, got 0",
        "forecast --holdout 1                | --holdout must be between 0 and 1 (exclusive), got 1.0",
        "forecast --units many               | Invalid value for option '--units': 'many' is not an int",
        "forecast --cell transformer         | unknown cell type 'transformer'; expected one of rnn, lstm, gru",
        "forecast --activation sigmoid       | unknown activation 'sigmoid'; expected tanh or relu",
        "forecast --cell gru --activation relu | --activation applies to --cell rnn only",
        "forecast --steps 400                | --steps 400 is too long for the generated series: a window of 400 steps spans 40.00 time units, the series 30.00 (at most 300 steps)",
        "forecast --column 2                 | --column needs --csv",
        "forecast --horizon 3                | --horizon needs --csv",
        "forecast --csv x --steps 3          | --steps applies to the generated series",
        "forecast --csv x --strategy sideways | unknown strategy 'sideways'; expected direct or recursive",
        "forecast --csv x --missing guess    | unknown missing-value policy 'guess'",
        "forecast --csv x --holdout 0.2 --test-last 3 | --holdout and --test-last both say how much to test on",
        "forecast --csv x --calendar hour    | --calendar needs --time",
        "classify --data x --epochs -1       | --epochs must be at least 1, got -1",
        "classify --data x --epochs 0        | --epochs must be at least 1, got 0",
        "classify --data x --units 0         | --units must be at least 1, got 0",
        "classify --data x --lr -1           | --lr must be a number greater than 0, got -1.0",
        "classify --data x --train-size 0    | --train-size must be at least 1, got 0",
        "classify --epochs 1                 | give either --data DIR (images) or --tsv FILE (texts)",
        "generate --model m --count 0        | --count must be between 1 and 10000000, got 0",
        "generate --model m --window 0       | --window must be between 1 and 1000000, got 0",
        "generate --model m --mode sideways  | Invalid value for option '--mode'",
        "predict --model m                   | either --csv FILE (a forecaster) or --images FILE (a classifier)",
        "predict --model m --csv a --images b | either --csv FILE (a forecaster) or --images FILE (a classifier)",
        "predict --model m --images a --window 3 | --window applies to --csv input only",
        "predict --model m --csv a --labels b | --labels needs --images",
        "inspect                             | Missing required parameter: 'FILE'",
    })
    void outOfRangeOrMalformedValues(String args, String message) {
        mentions(fails(args.trim().split(" +")), message.trim());
    }

    @Test
    void aHugeColumnIndexIsNamedAsSuch() throws IOException {
        Path csv = Files.writeString(dir.resolve("s.csv"), "1,2\n3,4\n5,6\n");
        mentions(fails("predict", "--model", forecaster.toString(), "--csv", csv.toString(), "--column", "99999999999"),
                "--column 99999999999: a column index must be below 10000000");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "unroll.cli.window | -3       | invalid unroll.cli.window in the metadata: \"-3\" (expected an integer between 1 and 1000000)",
        "unroll.cli.window | 0        | invalid unroll.cli.window in the metadata: \"0\"",
        "unroll.cli.window | 2e9      | invalid unroll.cli.window in the metadata: \"2e9\"",
        "unroll.cli.window | 99999999999 | invalid unroll.cli.window in the metadata",
        "unroll.cli.mean   | 0x1p3    | invalid series scaling in the metadata: unroll.cli.mean = 0x1p3",
        "unroll.cli.std    | -1       | invalid series scaling in the metadata",
    })
    void metadataIsValidatedLikeAFlag(String key, String value, String message) throws IOException {
        SafeTensors.Contents c = SafeTensors.read(forecaster);
        Map<String, String> meta = new LinkedHashMap<>(c.metadata());
        meta.put(key.trim(), value.trim());
        Path edited = dir.resolve("edited.safetensors");
        SafeTensors.write(edited, c.tensors(), meta);
        Path csv = Files.writeString(dir.resolve("s.csv"), "1\n2\n3\n4\n");
        mentions(fails("predict", "--model", edited.toString(), "--csv", csv.toString()), message.trim());
        mentions(fails("generate", "--model", edited.toString()), message.trim());
    }

    @Test
    void trainingSubsetLargerThanTheData() throws IOException {
        Path data = IdxFiles.syntheticDataset(dir.resolve("data"), 12, 6);
        mentions(fails("classify", "--data", data.toString(), "--train-size", "13"),
                "--train-size 13 is more than the 12 training images");
    }

    // ------------------------------------------------------------------ files

    @Test
    void missingFiles() {
        Path missing = dir.resolve("missing");
        mentions(fails("classify", "--data", missing.toString()), missing.toString(), "not a directory");
        mentions(fails("forecast", "--csv", missing + ".csv"), "no such file", "missing.csv");
        mentions(fails("predict", "--model", missing + ".safetensors", "--csv", "x.csv"), "no such file");
        mentions(fails("generate", "--model", missing + ".safetensors"), "no such file");
        mentions(fails("inspect", missing + ".safetensors"), "no such file");
        mentions(fails("predict", "--model", classifier.toString(), "--images", missing + ".idx"), "no such file");
    }

    @Test
    void unreadableFile() throws IOException {
        // (Tests run as root here, for whom permissions do not stop reading: a directory is a file no one can read.)
        Path folder = Files.createDirectories(dir.resolve("folder.csv"));
        mentions(fails("forecast", "--csv", folder.toString()), "folder.csv");
        mentions(fails("inspect", folder.toString()), "folder.csv");
    }

    @Test
    void dataDirectoryWithoutTheFourFiles() throws IOException {
        Path empty = Files.createDirectories(dir.resolve("empty"));
        mentions(fails("classify", "--data", empty.toString()), "not an MNIST-format data set", "train-images-idx3-ubyte");
    }

    @Test
    void notAnIdxFile() throws IOException {
        Path data = IdxFiles.syntheticDataset(dir.resolve("data"), 12, 6);
        Files.writeString(data.resolve("t10k-images-idx3-ubyte"), "index,value\n0,1\n1,2\n");
        mentions(fails("classify", "--data", data.toString()), "t10k-images-idx3-ubyte", "magic");
        // Labels where images are expected: the magic names both kinds.
        Path labels = data.resolve("t10k-labels-idx1-ubyte");
        mentions(fails("predict", "--model", classifier.toString(), "--images", labels.toString()), "t10k-labels-idx1-ubyte",
                "expected images");
    }

    @Test
    void truncatedGzip() throws IOException {
        Path data = IdxFiles.syntheticDataset(dir.resolve("data"), 12, 6);
        Path images = data.resolve("train-images-idx3-ubyte.gz");
        byte[] bytes = Files.readAllBytes(images);
        Files.write(images, Arrays.copyOf(bytes, bytes.length / 2));
        mentions(fails("classify", "--data", data.toString()), "train-images-idx3-ubyte.gz", "gzip");
    }

    @Test
    void imagesAndLabelsCountMismatch() throws IOException {
        Path data = IdxFiles.syntheticDataset(dir.resolve("data"), 12, 6);
        Files.write(data.resolve("t10k-labels-idx1-ubyte"), IdxFiles.labels(IdxFiles.syntheticLabels(5)));
        mentions(fails("classify", "--data", data.toString()), "6 images but 5 labels");
        mentions(fails("predict", "--model", classifier.toString(), "--images", data.resolve("t10k-images-idx3-ubyte").toString(),
                "--labels", data.resolve("t10k-labels-idx1-ubyte").toString()), "holds 6 images", "holds 5 labels");
    }

    @Test
    void csvWithANonNumericCellNamesLineAndColumn() throws IOException {
        Path csv = dir.resolve("prices.csv");
        StringBuilder sb = new StringBuilder("day,price\n");
        for (int i = 0; i < 100; i++) {
            sb.append(i).append(',').append(i == 41 ? "twelve" : Double.toString(i * 0.5)).append('\n');
        }
        Files.writeString(csv, sb);
        mentions(fails("forecast", "--csv", csv.toString(), "--column", "price"), "prices.csv:43:", "column \"price\"",
                "\"twelve\" is not a number");
        mentions(fails("forecast", "--csv", csv.toString(), "--target", "cost"), "no numeric column named \"cost\"", "day, price");
        mentions(fails("predict", "--model", forecaster.toString(), "--csv", csv.toString(), "--column", "1"),
                "prices.csv:43:", "\"twelve\" is not a number");
        Files.writeString(csv, "day,price\n1,2\n2,n/a\n3,4\n");
        mentions(fails("forecast", "--csv", csv.toString(), "--target", "price"), "prices.csv:3: column \"price\": missing value",
                "drop, forward-fill or interpolate");
        mentions(fails("forecast", "--csv", csv.toString(), "--missing", "interpolate", "--target", "price", "--features", "price"),
                "--features price: it is also a --target");
        // Without --target the first column is forecast: say how to choose another.
        Files.writeString(csv, "date,price\n2024-01-01,3\n");
        mentions(fails("forecast", "--csv", csv.toString()), "\"2024-01-01\" is not a number", "--target", "--time");
    }

    @Test
    void csvTooShortForOneWindow() throws IOException {
        Path csv = dir.resolve("short.csv");
        Files.writeString(csv, "y\n1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n");
        mentions(fails("forecast", "--csv", csv.toString(), "--horizon", "4", "--lookback", "8", "--test-last", "4"),
                "its training part has 6 of its 10 steps; a training window needs 12 (8 past steps and 4 to forecast)");
        mentions(fails("forecast", "--csv", csv.toString(), "--horizon", "4"), "the test part holds no forecast origin",
                "--holdout or --test-last");
        mentions(fails("forecast", "--csv", csv.toString(), "--horizon", "3", "--test-last", "1"), "the test part holds no forecast origin");
        Files.writeString(csv, "x\n1\n");
        mentions(fails("predict", "--model", forecaster.toString(), "--csv", csv.toString()), "1 value;", "at least 2");
        Files.writeString(csv, "1\n2\n3\n");
        mentions(fails("generate", "--model", forecaster.toString(), "--seed-csv", csv.toString()),
                "3 values, fewer than the window of 20");
    }

    // ------------------------------------------------------------------ checkpoints

    @Test
    void corruptCheckpoint() throws IOException {
        Path junk = dir.resolve("junk.safetensors");
        Files.write(junk, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12});
        mentions(fails("inspect", junk.toString()), "junk.safetensors");
        mentions(fails("predict", "--model", junk.toString(), "--csv", "x.csv"), "junk.safetensors");
        Path truncated = dir.resolve("truncated.safetensors");
        byte[] bytes = Files.readAllBytes(forecaster);
        Files.write(truncated, Arrays.copyOf(bytes, bytes.length - 100));
        mentions(fails("generate", "--model", truncated.toString()), "truncated.safetensors");
        Path text = dir.resolve("notes.txt");
        Files.writeString(text, "not a checkpoint at all, just some words in a file");
        mentions(fails("inspect", text.toString()), "notes.txt");
    }

    @Test
    void checkpointOfAnotherArchitecture() throws IOException {
        // Weights of the 8-unit forecaster under the configuration of a 7-unit one, and of a 9-unit
        // one, which would need more parameters than the file holds.
        SafeTensors.Contents c = SafeTensors.read(forecaster);
        Map<String, String> meta = new LinkedHashMap<>(c.metadata());
        String config = meta.get(Checkpoint.MODEL_KEY);
        meta.put(Checkpoint.MODEL_KEY, config.replace("\"hidden_size\":8", "\"hidden_size\":7").replace("\"input_size\":8", "\"input_size\":7"));
        Path other = dir.resolve("other.safetensors");
        SafeTensors.write(other, c.tensors(), meta);
        mentions(fails("inspect", other.toString()), "does not match the model's architecture", "rnn.weight_hh_l0");
        mentions(fails("generate", "--model", other.toString()), "does not match the model's architecture");
        meta.put(Checkpoint.MODEL_KEY, config.replace("\"hidden_size\":8", "\"hidden_size\":9").replace("\"input_size\":8", "\"input_size\":9"));
        SafeTensors.write(other, c.tensors(), meta);
        mentions(fails("inspect", other.toString()), "describes a model of 118 parameters, the file holds only 97 values");

        // The right file for the wrong job.
        Path csv = dir.resolve("series.csv");
        Files.writeString(csv, "1\n2\n3\n");
        mentions(fails("predict", "--model", classifier.toString(), "--csv", csv.toString()), "is a classifier",
                "reads images (--images)");
        mentions(fails("generate", "--model", classifier.toString()), "generation needs a forecaster");
        Path data = shared.resolve("data");
        mentions(fails("predict", "--model", forecaster.toString(), "--images", data.resolve("t10k-images-idx3-ubyte").toString()),
                "is a forecaster", "reads a CSV series (--csv)");
        // Images of another width than the classifier reads.
        Path narrow = dir.resolve("narrow-idx3-ubyte");
        Files.write(narrow, IdxFiles.images(2, 6, 5, new byte[60]));
        mentions(fails("predict", "--model", classifier.toString(), "--images", narrow.toString()),
                "images of 6x5 pixels", "6 features per step");
    }

    // ------------------------------------------------------------------ outputs

    @Test
    void outputDirectoryThatCannotBeWrittenIsRefusedBeforeTraining() throws IOException {
        Path file = Files.writeString(dir.resolve("a-file"), "x");
        Cli.Result r = fails("forecast", "--out", file.resolve("sub").toString());
        mentions(r, "cannot write to --out", "a-file");
        assertFalse(r.out().contains("iteration"), "refused before training: " + r);
        mentions(fails("forecast", "--out", file.toString()), "exists and is not a directory");
        mentions(fails("forecast", "--save", dir.toString()), "--save", "is a directory");
        mentions(fails("forecast", "--report", file.resolve("r.json").toString()), "cannot write to --report directory");
        Path data = IdxFiles.syntheticDataset(dir.resolve("data"), 12, 6);
        mentions(fails("classify", "--data", data.toString(), "--out", file.resolve("x").toString()), "cannot write to --out");
        Path csv = Files.writeString(dir.resolve("series.csv"), "1\n2\n3\n");
        mentions(fails("predict", "--model", forecaster.toString(), "--csv", csv.toString(), "--out",
                file.resolve("x").toString()), "cannot write to --out");
        mentions(fails("generate", "--model", forecaster.toString(), "--out", file.resolve("x").toString()), "cannot write to --out");
    }

    @Test
    void divergedTrainingLeavesNothingBehind() {
        Cli.Result r = Cli.run("forecast", "--lr", "1e12", "--iterations", "30", "--units", "8", "--threads", "1",
                "--out", dir.resolve("out/deeper").toString());
        assertEquals(Main.EXIT_BAD_INPUT, r.exitCode(), r::toString);
        assertTrue(r.errLines().get(0).startsWith("unroll: error: "), r::toString);
        assertTrue(r.err().contains("lower the learning rate"), r::toString);
        assertFalse(Files.exists(dir.resolve("out")), "the directories created for the run are removed: " + r);
    }

    @Test
    void stackTraceOnlyWithVerbose() {
        Path missing = dir.resolve("missing.csv");
        Cli.Result quiet = Cli.run("forecast", "--csv", missing.toString());
        assertFalse(quiet.err().contains("\tat "), quiet::toString);
        Cli.Result verbose = Cli.run("forecast", "--csv", missing.toString(), "--verbose");
        assertEquals(Main.EXIT_BAD_INPUT, verbose.exitCode(), verbose::toString);
        assertTrue(verbose.errLines().get(0).startsWith("unroll: error: no such file"), verbose::toString);
        assertTrue(verbose.err().contains("\tat "), verbose::toString);
        Cli.Result before = Cli.run("--verbose", "forecast", "--csv", missing.toString());
        assertTrue(before.err().contains("\tat "), before::toString);
    }
}
