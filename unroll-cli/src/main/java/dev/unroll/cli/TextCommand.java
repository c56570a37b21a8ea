package dev.unroll.cli;

import dev.unroll.nn.CellType;
import dev.unroll.nn.Sequential;
import dev.unroll.preprocess.TextPreprocessing;
import dev.unroll.preprocess.Vocabulary;
import dev.unroll.text.BeamSearch;
import dev.unroll.text.LanguageModel;
import dev.unroll.text.Sampler;
import dev.unroll.text.TextFiles;
import dev.unroll.text.TextGenerator;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code unroll text}: language models on text files: {@code train} and {@code generate}. */
@Command(name = "text", mixinStandardHelpOptions = true,
        description = "Language models on text: train one on a text file, generate text with it.",
        subcommands = {TextCommand.Train.class, TextCommand.Generate.class})
final class TextCommand implements Runnable {
    /** The {@code unroll.cli.task} of a language model. */
    static final String TASK = "language-model";
    /** Seconds between progress lines inside an epoch. */
    static final long PROGRESS_SECONDS = ProgressReporter.PLAIN_INTERVAL_SECONDS;

    @ParentCommand
    Main main;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    /** {@code unroll text train}. */
    @Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
            description = {
                "Train a language model on a text file (UTF-8), read as one long stream.",
                "",
                "The text becomes ids (--vocabulary byte: its UTF-8 bytes, the default; char: code points; word: words and"
                    + " punctuation, built from the text); an embedding, a recurrent layer and a dense layer predict each next"
                    + " id. The stream is cut into --streams parallel rows; each update reads the next --window steps of every"
                    + " row, and the state carries on to the next window (truncated backpropagation through time, as char-rnn"
                    + " does). Adam, gradient norm clipped at --clip.",
                "",
                "Prints a line per epoch with bits per token (per byte for bytes) on the training stream and on --test, and"
                    + " every 10 s inside an epoch the windows done and the bits so far;"
                    + " writes <out>/model.safetensors with its vocabulary. The last line is test_bits_per_byte=<value>"
                    + " (per_char, per_word for the other vocabularies; train_ without --test).",
                ""})
    static final class Train implements Callable<Integer> {
        @ParentCommand
        TextCommand parent;

        @Spec
        CommandSpec spec;

        @Option(names = "--text", paramLabel = "FILE", required = true, description = "The training text (UTF-8).")
        Path text;

        @Option(names = "--test", paramLabel = "FILE", description = "Held-out text, scored after every epoch.")
        Path test;

        @Mixin
        VocabularyOptions vocabularyOptions;

        @Option(names = "--cell", paramLabel = "rnn|lstm|gru", defaultValue = "lstm", converter = Converters.Cell.class,
                description = "Recurrent cell (default: ${DEFAULT-VALUE}).")
        CellType cell;

        @Option(names = "--units", paramLabel = "N", defaultValue = "256", description = "Recurrent units (default: ${DEFAULT-VALUE}).")
        int units;

        @Option(names = "--layers", paramLabel = "N", defaultValue = "1", description = "Stacked layers (default: ${DEFAULT-VALUE}).")
        int layers;

        @Option(names = "--embedding", paramLabel = "N", defaultValue = "32",
                description = "Embedding width (default: ${DEFAULT-VALUE}).")
        int embedding;

        @Option(names = "--streams", paramLabel = "N", defaultValue = "32",
                description = "Parallel rows of the stream, the batch (default: ${DEFAULT-VALUE}).")
        int streams;

        @Option(names = "--window", paramLabel = "N", defaultValue = "100",
                description = "Steps per update, the truncation of backpropagation (default: ${DEFAULT-VALUE}).")
        int window;

        @Option(names = "--epochs", paramLabel = "N", defaultValue = "2", description = "Passes over the text (default: ${DEFAULT-VALUE}).")
        int epochs;

        @Option(names = "--lr", paramLabel = "RATE", defaultValue = "0.002", description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
        double lr;

        @Option(names = "--clip", paramLabel = "NORM", defaultValue = "5",
                description = "Clip the gradient's global norm to this; 0: no clipping (default: ${DEFAULT-VALUE}).")
        double clip;

        @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "Random seed (default: ${DEFAULT-VALUE}).")
        long seed;

        @Option(names = "--threads", paramLabel = "N", description = "Kernel threads (default: the processors).")
        Integer threads;

        @Option(names = "--out", paramLabel = "DIR", defaultValue = "out/text", description = "Output directory (default: ${DEFAULT-VALUE}).")
        Path outDir;

        @Option(names = "--save", paramLabel = "FILE", description = "Where to save the model (default: <out>/model.safetensors).")
        Path save;

        @Option(names = "--report", paramLabel = "FILE", description = "Also write a JSON report.")
        Path report;

        @Override
        public Integer call() throws Exception {
            long started = System.nanoTime();
            Checks.between(spec, "--units", units, 1, 100_000);
            Checks.between(spec, "--layers", layers, 1, 100);
            Checks.between(spec, "--embedding", embedding, 1, 100_000);
            Checks.between(spec, "--streams", streams, 1, 1_000_000);
            Checks.between(spec, "--window", window, 1, 1_000_000);
            Checks.between(spec, "--epochs", epochs, 1, 1_000_000);
            vocabularyOptions.validate(spec);
            Checks.positive(spec, "--lr", lr);
            if (!(clip >= 0) || Double.isInfinite(clip)) {
                throw Checks.usage(spec, "--clip must be 0 (none) or a positive number, got " + clip);
            }
            if (threads != null) {
                Checks.threads(spec, "--threads", threads);
            }
            int threadCount = threads != null ? threads : dev.unroll.kernel.Parallel.threads();
            PrintWriter out = parent.main.console().out();
            String trainText = TextFiles.read(text);
            String testText = test == null ? null : TextFiles.read(test);
            Vocabulary vocabulary = vocabularyOptions.build(List.of(trainText), Vocabulary.Level.BYTE);
            int[] trainIds = vocabulary.encode(trainText);
            int[] testIds = testText == null ? null : vocabulary.encode(testText);
            if (trainIds.length < streams + 1) {
                throw new IOException(text + ": " + trainIds.length + " tokens, too few for --streams " + streams);
            }
            if (testIds != null && testIds.length < 2) {
                throw new IOException(test + ": " + testIds.length + " token; scoring needs at least 2");
            }
            LanguageModel.Settings s = new LanguageModel.Settings(cell, embedding, units, layers, streams, window, epochs, lr, clip, seed,
                    threadCount);
            Sequential model = LanguageModel.build(vocabulary.size(), s);
            Outputs outputs = new Outputs();
            outputs.directory(outDir, "--out");
            Path modelFile = outputs.file(save != null ? save : outDir.resolve("model.safetensors"), "--save");
            if (report != null) {
                outputs.file(report, "--report");
            }
            String unit = vocabulary.level().id;
            out.println("text: " + text + ": " + Format.count(trainIds.length) + " tokens" + (test == null ? ""
                    : "; test: " + test + ": " + Format.count(testIds.length) + " tokens"));
            out.println("vocabulary: " + vocabulary);
            out.println("model: " + model + ", " + Format.count(model.parameterCount()) + " parameters");
            out.println("training: " + epochs + " epochs of " + streams + " streams in windows of " + window + " steps, state carried,"
                    + " Adam lr " + lr + ", clip " + clip + ", seed " + seed + ", " + threadCount + " threads");
            out.flush();
            String width = "%" + String.valueOf(epochs).length() + "d";
            PrintWriter err = parent.main.console().err();
            long[] lastLine = {System.nanoTime()};
            List<LanguageModel.Epoch> history = outputs.discardOnFailure(() -> LanguageModel.fit(model, trainIds, testIds, s, e -> {
                err.println(String.format(Locale.ROOT, "epoch " + width + "/%d  train_bits_per_%s %.4f  test_bits_per_%s %s  %s  %s tokens/s",
                        e.epoch(), epochs, unit, e.trainBits(), unit, test == null ? "-" : String.format(Locale.ROOT, "%.4f", e.testBits()),
                        Format.seconds(e.seconds()), Format.count(Math.round(e.tokens() / e.seconds()))));
                err.flush();
                lastLine[0] = System.nanoTime();
            }, w -> {
                // Inside a long epoch, a line every PROGRESS_SECONDS: how far, and the bits so far.
                if (w.done() < w.windows() && System.nanoTime() - lastLine[0] > PROGRESS_SECONDS * 1_000_000_000L) {
                    err.println(String.format(Locale.ROOT, "epoch " + width + "/%d  window %d/%d  train_bits_per_%s %.4f", w.epoch(), epochs,
                            w.done(), w.windows(), unit, w.trainBits()));
                    err.flush();
                    lastLine[0] = System.nanoTime();
                }
            }));
            Map<String, String> meta = new LinkedHashMap<>(TextPreprocessing.languageModel(vocabulary).toMetadata());
            meta.put(SavedModel.TASK, TASK);
            SavedModel.save(model, modelFile, meta);
            LanguageModel.Epoch last = history.get(history.size() - 1);
            out.println("saved model: " + modelFile);
            if (report != null) {
                Map<String, Object> config = new LinkedHashMap<>();
                config.put("text", text.toString());
                config.put("test", test == null ? null : test.toString());
                config.put("vocabulary", unit);
                config.put("vocabulary_size", vocabulary.size());
                config.put("cell", cell.id());
                config.put("units", units);
                config.put("layers", layers);
                config.put("embedding", embedding);
                config.put("streams", streams);
                config.put("window", window);
                config.put("epochs", epochs);
                config.put("learning_rate", lr);
                config.put("clip", clip);
                config.put("seed", seed);
                Map<String, Object> r = Report.of("text train", config, threadCount);
                List<Object> h = new ArrayList<>();
                for (LanguageModel.Epoch e : history) {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("epoch", e.epoch());
                    m.put("train_bits_per_" + unit, e.trainBits());
                    m.put("test_bits_per_" + unit, Double.isNaN(e.testBits()) ? null : e.testBits());
                    m.put("seconds", e.seconds());
                    m.put("tokens_per_second", e.tokens() / e.seconds());
                    h.add(m);
                }
                r.put("history", h);
                Map<String, Object> timings = new LinkedHashMap<>();
                timings.put("total_seconds", (System.nanoTime() - started) / 1e9);
                r.put("timings", timings);
                Report.write(report, r);
                out.println("report: " + report);
            }
            out.println(test == null ? "train_bits_per_" + unit + "=" + last.trainBits() : "test_bits_per_" + unit + "=" + last.testBits());
            return 0;
        }
    }

    /** {@code unroll text generate}. */
    @Command(name = "generate", mixinStandardHelpOptions = true, sortOptions = false,
            description = {
                "Generate text with a language model saved by 'unroll text train', printing it as it goes.",
                "",
                "The prompt's tokens advance the model's state one step each; then each next token is drawn from the"
                    + " model's distribution (--temperature; 0 is greedy), cut to the --top-k most likely and to the"
                    + " smallest set of total probability --top-p, after a --repetition-penalty on tokens already present;"
                    + " fed back on the carried state, until --length tokens or a --stop token. The same --seed gives the"
                    + " same text. --beam N prints the most likely continuation found by a beam search of width N instead.",
                "",
                "The last line is tokens_per_second=<value> (generation alone, prompt excluded).",
                ""})
    static final class Generate implements Callable<Integer> {
        @ParentCommand
        TextCommand parent;

        @Spec
        CommandSpec spec;

        @Option(names = "--model", paramLabel = "FILE", required = true, description = "A language model saved by 'unroll text train'.")
        Path modelFile;

        @Option(names = "--prompt", paramLabel = "TEXT", defaultValue = "",
                description = "The text to continue (default: none: a new line for bytes, <bos> otherwise).")
        String prompt;

        @Option(names = "--length", paramLabel = "N", defaultValue = "300", description = "Tokens to generate (default: ${DEFAULT-VALUE}).")
        int length;

        @Option(names = "--temperature", paramLabel = "T", defaultValue = "0.8",
                description = "0: greedy; 1: the model's distribution (default: ${DEFAULT-VALUE}).")
        double temperature;

        @Option(names = "--top-k", paramLabel = "K", defaultValue = "0", description = "Keep the K most likely tokens; 0: all (default).")
        int topK;

        @Option(names = "--top-p", paramLabel = "P", defaultValue = "1",
                description = "Keep the most likely tokens up to total probability P, in (0, 1] (default: ${DEFAULT-VALUE}).")
        double topP;

        @Option(names = "--repetition-penalty", paramLabel = "R", defaultValue = "1",
                description = "Divide the scores of tokens already present by R >= 1 (default: ${DEFAULT-VALUE}: none).")
        double repetitionPenalty;

        @Option(names = "--stop", paramLabel = "TEXT",
                description = "Stop after this token (one character for char vocabularies, one byte for bytes, a word for words);"
                        + " <eos> stops at the end-of-sequence id. Repeatable.")
        List<String> stop = new ArrayList<>();

        @Option(names = "--beam", paramLabel = "N", defaultValue = "0", description = "Beam search of width N instead of sampling.")
        int beam;

        @Option(names = "--seed", paramLabel = "N", defaultValue = "42", description = "Seed of the draws (default: ${DEFAULT-VALUE}).")
        long seed;

        @Override
        public Integer call() throws Exception {
            Checks.between(spec, "--length", length, 1, 10_000_000);
            Checks.between(spec, "--top-k", topK, 0, Integer.MAX_VALUE);
            Checks.between(spec, "--beam", beam, 0, 1000);
            Sampler.Options options;
            try {
                options = new Sampler.Options(temperature, topK, topP, repetitionPenalty, seed);
            } catch (IllegalArgumentException e) {
                throw Checks.usage(spec, e.getMessage());
            }
            TextModel tm = TextModel.load(modelFile);
            if (tm.text().isClassifier()) {
                throw new IOException(modelFile + ": a text classifier, not a language model; use 'unroll predict --model M --text ...'");
            }
            Vocabulary v = tm.text().vocabulary();
            int[] stopIds = stopIds(v);
            int[] promptIds = prompt.isEmpty() ? new int[] {v.level() == Vocabulary.Level.BYTE ? '\n' : v.bos()} : v.encode(prompt);
            if (promptIds.length == 0) {
                promptIds = new int[] {v.level() == Vocabulary.Level.BYTE ? '\n' : v.bos()};
            }
            PrintWriter out = parent.main.console().out();
            out.print(prompt);
            out.flush();
            long start = System.nanoTime();
            int generated;
            if (beam > 0) {
                List<BeamSearch.Hypothesis> best = new BeamSearch(tm.model()).search(promptIds, beam, length, stopIds);
                int[] ids = best.get(0).ids();
                out.print(v.decode(ids));
                generated = ids.length;
            } else {
                Vocabulary.Decoder decoder = v.decoder();
                int[] count = {0};
                // Printed as it comes; flushed at each line's end and every 64 tokens (a flush per token would cost more than the step).
                int[] ids = new TextGenerator(tm.model()).generate(promptIds, length, stopIds, options, id -> {
                    String piece = decoder.append(id);
                    out.print(piece);
                    if (++count[0] % 64 == 0 || piece.indexOf('\n') >= 0) {
                        out.flush();
                    }
                });
                out.print(decoder.finish());
                generated = ids.length;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            out.println();
            out.println("tokens: " + generated + " in " + Format.seconds(seconds));
            out.println("tokens_per_second=" + generated / seconds);
            return 0;
        }

        private int[] stopIds(Vocabulary v) {
            int[] ids = new int[stop.size()];
            for (int i = 0; i < ids.length; i++) {
                String s = stop.get(i);
                if (s.equals(Vocabulary.EOS) && v.eos() >= 0) {
                    ids[i] = v.eos();
                    continue;
                }
                int[] enc = v.encode(s.equals("\\n") ? "\n" : s);
                if (enc.length != 1) {
                    throw Checks.usage(spec, "--stop '" + s + "' is " + enc.length + " tokens of this " + v.level().id
                            + " vocabulary; it must be one");
                }
                ids[i] = enc[0];
            }
            return ids;
        }
    }
}
