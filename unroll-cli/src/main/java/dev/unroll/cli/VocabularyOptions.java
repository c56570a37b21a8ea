package dev.unroll.cli;

import dev.unroll.preprocess.Vocabulary;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;

/**
 * The vocabulary options that {@code classify --tsv} and {@code text train} share: the level
 * (each command has its own default: char for classifiers, byte for language models), and the
 * minimum count and maximum size of a vocabulary built from the training text.
 */
final class VocabularyOptions {
    @Option(names = "--vocabulary", paramLabel = "byte|char|word", converter = Converters.VocabularyLevel.class,
            description = "Tokens of the texts: UTF-8 bytes, code points or words and punctuation (default: char for classify --tsv,"
                    + " byte for text train).")
    Vocabulary.Level level;

    @Option(names = "--min-count", paramLabel = "N", defaultValue = "1",
            description = "char/word: tokens seen fewer times in the training text are unknown (default: ${DEFAULT-VALUE}).")
    int minCount;

    @Option(names = "--max-vocabulary", paramLabel = "N", defaultValue = "50000",
            description = "char/word: at most N ids, the 4 reserved ones included (default: ${DEFAULT-VALUE}).")
    int maxVocabulary;

    void validate(CommandSpec spec) {
        Checks.atLeast(spec, "--min-count", minCount, 1);
        Checks.between(spec, "--max-vocabulary", maxVocabulary, 5, Vocabulary.MAX_SIZE);
    }

    /** The level given, or the command's default. */
    Vocabulary.Level level(Vocabulary.Level fallback) {
        return level != null ? level : fallback;
    }

    /** The vocabulary of {@code texts} at the level given (or {@code fallback}). */
    Vocabulary build(Iterable<String> texts, Vocabulary.Level fallback) {
        return Vocabulary.build(level(fallback), texts, minCount, maxVocabulary);
    }
}
