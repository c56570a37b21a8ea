package dev.unroll.examples;

import dev.unroll.io.Checkpoint;
import dev.unroll.nn.CellType;
import dev.unroll.nn.Sequential;
import dev.unroll.preprocess.TextPreprocessing;
import dev.unroll.preprocess.Vocabulary;
import dev.unroll.text.LanguageModel;
import dev.unroll.text.Sampler;
import dev.unroll.text.TextFiles;
import dev.unroll.text.TextGenerator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;

/**
 * The seed's opening promise — "RNNs can generate sentences" — in full: a byte-level LSTM language
 * model trained on a text file as one long stream (windows of steps, the state carried from window
 * to window), saved with its vocabulary, and text drawn from it one byte at a time on the carried
 * state ({@code docs/text.md}).
 */
public final class TextGeneration {
    static final String USAGE = "TextGeneration --text FILE [--units N] [--epochs N] [--length N] [--seed S] [--out FILE]";

    private TextGeneration() {
    }

    /** What to train and generate. */
    record Settings(Path text, int units, int epochs, int length, long seed, Path out) {
    }

    /** Trains, saves and generates; returns the generated text. */
    public static String run(Path text, int units, int epochs, int length, long seed, Path out) throws IOException {
        Vocabulary bytes = Vocabulary.bytes();
        int[] ids = bytes.encode(TextFiles.read(text));
        LanguageModel.Settings s = new LanguageModel.Settings(CellType.LSTM, 32, units, 1, 32, 100, epochs, 0.002, 5, seed,
                dev.unroll.kernel.Parallel.threads());
        Sequential model = LanguageModel.build(bytes.size(), s);
        LanguageModel.fit(model, ids, null, s, e -> System.out.printf("epoch %d: %.3f bits per byte, %.1f s%n", e.epoch(),
                e.trainBits(), e.seconds()));
        Checkpoint.save(model, out, TextPreprocessing.languageModel(bytes).toMetadata());
        StringBuilder generated = new StringBuilder("The ");
        Vocabulary.Decoder decoder = bytes.decoder();
        new TextGenerator(model).generate(bytes.encode("The "), length, new int[0], new Sampler.Options(0.8, 0, 1, 1, seed),
                id -> generated.append(decoder.append(id)));
        return generated.append(decoder.finish()).toString();
    }

    public static void main(String[] args) {
        Settings s = Args.parse(USAGE, args, a -> new Settings(a.requiredPath("text", "a UTF-8 text file"), a.positiveInt("units", 256),
                a.positiveInt("epochs", 1), a.positiveInt("length", 400), a.seed(42), a.path("out", Args.defaultOutput("text-lm.safetensors"))));
        try {
            System.out.println(run(s.text(), s.units(), s.epochs(), s.length(), s.seed(), s.out()));
            System.out.println("saved model: " + s.out());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
