package dev.unroll.fuzz;

import dev.unroll.data.DataFileException;
import dev.unroll.preprocess.Preprocessing;
import dev.unroll.preprocess.TextPreprocessing;
import dev.unroll.preprocess.Vocabulary;
import dev.unroll.text.LabeledTexts;
import dev.unroll.text.TextFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The text readers of issue 12, on any bytes: {@link TextFiles} and {@link LabeledTexts} (the
 * bytes as a text file and as a tab-separated table; the only failure a short
 * {@link DataFileException}), the vocabularies built from what they read (bytes decode back to the
 * text; characters are code points; the saved form reads back as the same vocabulary), and the
 * bytes as a saved text preprocessing (the only failure an {@link IllegalArgumentException}).
 */
final class TextTarget implements FuzzTarget {
    private static final List<String> TEXTS = List.of(
            "I can resist anything but temptation.\ten\nJeder macht was er will.\tde\n",
            "Привет, мир\tru\n😀 emoji\tother\r\n\n\"quoted\" text\ten\n",
            "{\"kind\":\"text\",\"version\":1,\"vocabulary\":{\"level\":\"char\",\"tokens\":[\"<pad>\",\"<unk>\",\"<bos>\",\"<eos>\",\"a\","
                    + "\"é\",\"😀\"]},\"labels\":[\"de\",\"en\"]}",
            "{\"kind\":\"text\",\"version\":1,\"vocabulary\":{\"level\":\"word\",\"tokens\":[\"<pad>\",\"<unk>\",\"<bos>\",\"<eos>\","
                    + "\"don't\",\",\"]},\"labels\":[]}",
            "{\"kind\":\"text\",\"version\":1,\"vocabulary\":{\"level\":\"byte\"},\"labels\":[]}");
    private final Path file;
    private final List<byte[]> seeds;

    TextTarget(Path scratch) {
        this.file = scratch.resolve("texts.tsv");
        this.seeds = TEXTS.stream().map(t -> t.getBytes(StandardCharsets.UTF_8)).toList();
    }

    @Override
    public String name() {
        return "text";
    }

    @Override
    public List<byte[]> seeds() {
        return seeds;
    }

    @Override
    public void run(byte[] input) throws IOException {
        String json = new String(input, StandardCharsets.UTF_8);
        try {
            Preprocessing p = Preprocessing.fromMetadata(Map.of(Preprocessing.METADATA_KEY, json));
            if (p instanceof TextPreprocessing t) {
                roundTrip(t.vocabulary(), "a saved vocabulary");
            }
        } catch (IllegalArgumentException expected) {
            // documented for a bad saved form; the file readers below get the same bytes
        }
        Files.write(file, input);
        String text;
        try {
            text = TextFiles.read(file);
        } catch (DataFileException e) {
            checkShort(e);
            throw e;
        }
        int[] bytes = Vocabulary.bytes().encode(text);
        if (!Vocabulary.bytes().decode(bytes).equals(text)) {
            throw new AssertionError("bytes do not decode back to the text");
        }
        Vocabulary chars = Vocabulary.characters(List.of(text), 1, 1000);
        if (chars.encode(text).length != text.codePointCount(0, text.length())) {
            throw new AssertionError("characters are not code points");
        }
        roundTrip(chars, "characters");
        Vocabulary words = Vocabulary.words(List.of(text + " x"), 1, 1000);
        roundTrip(words, "words");
        words.decode(words.encode(text));
        try {
            LabeledTexts t = LabeledTexts.read(file);
            t.classes(t.distinctLabels());
        } catch (DataFileException e) {
            checkShort(e);
            throw e;
        }
    }

    private static void roundTrip(Vocabulary v, String what) {
        Vocabulary back = Vocabulary.fromConfig(v.config());
        if (!back.tokens().equals(v.tokens()) || back.level() != v.level()) {
            throw new AssertionError(what + ": the saved form reads back as another vocabulary");
        }
    }

    private static void checkShort(DataFileException e) {
        if (e.getMessage().length() > 1000) {
            throw new AssertionError("a message of " + e.getMessage().length() + " characters");
        }
    }

    @Override
    public boolean documented(Throwable t) {
        return t instanceof DataFileException && t.getMessage().length() <= 1000;
    }
}
