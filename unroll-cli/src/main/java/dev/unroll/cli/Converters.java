package dev.unroll.cli;

import dev.unroll.kernel.Activation;
import dev.unroll.nn.CellType;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Option value parsers with the library's own messages ("expected one of rnn, lstm, gru"). */
final class Converters {
    private Converters() {
    }

    static final class Cell implements ITypeConverter<CellType> {
        @Override
        public CellType convert(String value) {
            try {
                return CellType.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }

    /** The activations of a simple RNN cell. */
    static final class RnnActivation implements ITypeConverter<Activation> {
        @Override
        public Activation convert(String value) {
            if (value.equalsIgnoreCase("tanh")) {
                return Activation.TANH;
            }
            if (value.equalsIgnoreCase("relu")) {
                return Activation.RELU;
            }
            throw new TypeConversionException("unknown activation '" + value + "'; expected tanh or relu");
        }
    }

    /** A vocabulary level: byte, char or word. */
    static final class VocabularyLevel implements ITypeConverter<dev.unroll.preprocess.Vocabulary.Level> {
        @Override
        public dev.unroll.preprocess.Vocabulary.Level convert(String value) {
            try {
                return dev.unroll.preprocess.Vocabulary.Level.parse(value);
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException(e.getMessage());
            }
        }
    }
}
