package dev.unroll.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code unroll text train / generate}, {@code classify --tsv} and {@code predict --text}, with tiny settings. */
class TextCommandTest {
    @TempDir
    static Path shared;
    static Path corpus;
    static Path lm;
    static Path train;
    static Path test;
    static Path classifier;

    @TempDir
    Path dir;

    @BeforeAll
    static void trainModels() throws IOException {
        StringBuilder sb = new StringBuilder();
        String[] words = {"the", "cat", "sat", "on", "a", "mat", "and", "dog", "ran"};
        for (int i = 0; i < 600; i++) {
            sb.append(words[(i * 7 + i / 9) % words.length]).append(i % 11 == 10 ? ".\n" : " ");
        }
        corpus = Files.writeString(shared.resolve("corpus.txt"), sb.toString());
        Cli.Result r = Cli.run("text", "train", "--text", corpus.toString(), "--test", corpus.toString(), "--units", "16",
                "--embedding", "8", "--streams", "4", "--window", "25", "--epochs", "2", "--lr", "0.01", "--threads", "1", "--out",
                shared.resolve("lm").toString());
        assertEquals(0, r.exitCode(), r.toString());
        double bits = r.lastValue("test_bits_per_byte");
        assertTrue(bits > 0 && bits < 6, r.toString());
        assertTrue(r.err().contains("epoch 2/2  train_bits_per_byte"), r.toString());
        lm = shared.resolve("lm/model.safetensors");

        StringBuilder a = new StringBuilder();
        StringBuilder b = new StringBuilder();
        for (int i = 0; i < 60; i++) {
            (i % 5 == 0 ? b : a).append(i % 2 == 0 ? "hello world " + i + "\ten\n" : "привет мир " + i + "\tru\n");
        }
        train = Files.writeString(shared.resolve("train.tsv"), a.toString());
        test = Files.writeString(shared.resolve("test.tsv"), b.toString());
        Cli.Result c = Cli.run("classify", "--tsv", train.toString(), "--test", test.toString(), "--units", "8", "--embedding", "4",
                "--epochs", "6", "--batch", "8", "--lr", "0.02", "--threads", "1", "--out", shared.resolve("clf").toString());
        assertEquals(0, c.exitCode(), c.toString());
        assertEquals(1.0, c.lastValue("test_accuracy"), c.toString());
        assertTrue(c.out().contains("confusion (rows: true, columns: predicted)") && c.out().contains("precision"), c.toString());
        classifier = shared.resolve("clf/model.safetensors");
        assertTrue(Files.size(shared.resolve("clf/learning-curves.png")) > 1000);
    }

    @Test
    void generationPrintsTheSameTextForTheSameSeed() {
        Cli.Result a = Cli.run("text", "generate", "--model", lm.toString(), "--prompt", "the ", "--length", "60", "--seed", "3");
        Cli.Result b = Cli.run("text", "generate", "--model", lm.toString(), "--prompt", "the ", "--length", "60", "--seed", "3");
        assertEquals(0, a.exitCode(), a.toString());
        assertTrue(a.lastValue("tokens_per_second") > 0);
        assertEquals(a.outLines().get(0), b.outLines().get(0));
        assertTrue(a.out().startsWith("the "), a.toString());
        Cli.Result greedy = Cli.run("text", "generate", "--model", lm.toString(), "--temperature", "0", "--length", "20", "--stop", ".");
        assertEquals(0, greedy.exitCode(), greedy.toString());
        Cli.Result beam = Cli.run("text", "generate", "--model", lm.toString(), "--prompt", "the", "--beam", "3", "--length", "10");
        assertEquals(0, beam.exitCode(), beam.toString());
        assertTrue(beam.lastLine().startsWith("tokens_per_second="));
    }

    @Test
    void predictLabelsAndScoresTexts() {
        Cli.Result p = Cli.run("predict", "--model", classifier.toString(), "--text", "hello world 7", "--text", "привет мир 9");
        assertEquals(0, p.exitCode(), p.toString());
        assertTrue(p.outLines().get(0).startsWith("en\t") && p.outLines().get(1).startsWith("ru\t"), p.toString());
        assertEquals("predictions=2", p.lastLine());
        Cli.Result t = Cli.run("predict", "--model", classifier.toString(), "--tsv", test.toString());
        assertEquals(1.0, t.lastValue("accuracy"), t.toString());
        Cli.Result s = Cli.run("predict", "--model", lm.toString(), "--text", "the cat sat on a mat");
        assertTrue(s.lastValue("bits_per_byte") > 0, s.toString());
    }

    private void badInput(String expected, String... args) {
        Cli.Result r = Cli.run(args);
        assertEquals(2, r.exitCode(), r.toString());
        List<String> err = r.errLines();
        assertTrue(err.get(0).startsWith("unroll: error: ") && err.get(0).contains(expected), r.toString());
        assertTrue(err.size() <= 2 && !r.err().contains("\tat "), "one line, no stack trace: " + r);
    }

    @Test
    void badInputIsOneLineNamingTheFileAndLine() throws IOException {
        Path empty = Files.createFile(dir.resolve("empty.txt"));
        badInput(empty + ": empty text file", "text", "train", "--text", empty.toString(), "--out", dir.resolve("o").toString());
        byte[] bytes = "good line\nbad \u00e9 line\n".getBytes(StandardCharsets.UTF_8);
        bytes[14] = (byte) 0xFF;
        Path invalid = Files.write(dir.resolve("invalid.txt"), bytes);
        badInput(invalid + ":2: invalid UTF-8: byte 0xFF at column 5", "text", "train", "--text", invalid.toString(), "--out",
                dir.resolve("o").toString());
        Path unseen = Files.writeString(dir.resolve("unseen.tsv"), "hello\ten\nhola\tes\n");
        badInput(unseen + ":2: label 'es' was not seen in training", "classify", "--tsv", train.toString(), "--test",
                unseen.toString(), "--epochs", "1", "--out", dir.resolve("o").toString());
        badInput(unseen + ":2: label 'es' was not seen in training", "predict", "--model", classifier.toString(), "--tsv",
                unseen.toString());
        Path noLabel = Files.writeString(dir.resolve("nolabel.tsv"), "hello\ten\nhola\n");
        badInput(noLabel + ":2: expected at least 2 tab-separated columns", "classify", "--tsv", noLabel.toString(), "--out",
                dir.resolve("o").toString());
        badInput("not a text model", "text", "generate", "--model", Models.classifier(dir).toString());
        badInput("a text classifier, not a language model", "text", "generate", "--model", classifier.toString());
        badInput("either --data DIR (images) or --tsv FILE (texts)", "classify", "--out", dir.resolve("o").toString());
        badInput("top-p must be in (0, 1]", "text", "generate", "--model", lm.toString(), "--top-p", "0");
        assertTrue(!Files.exists(dir.resolve("o/model.safetensors")));
    }
}
