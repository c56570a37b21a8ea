package dev.unroll.cli;

import dev.unroll.io.Checkpoint;
import dev.unroll.nn.Embedding;
import dev.unroll.nn.Layer;
import dev.unroll.nn.Sequential;
import dev.unroll.preprocess.Preprocessing;
import dev.unroll.preprocess.TextPreprocessing;
import java.io.IOException;
import java.nio.file.Path;

/**
 * A text model loaded from a checkpoint: the model (embedding first) and the vocabulary (and, for
 * a classifier, the labels) saved with it.
 */
record TextModel(Path file, Sequential model, TextPreprocessing text) {

    /** The text model in {@code file}, or an error saying what the file holds instead. */
    static TextModel load(Path file) throws IOException {
        return of(file, Checkpoint.read(Inputs.file(file)));
    }

    static TextModel of(Path file, Checkpoint.Loaded loaded) throws IOException {
        Preprocessing p;
        try {
            p = Preprocessing.fromMetadata(loaded.metadata());
        } catch (IllegalArgumentException e) {
            throw new IOException(file + ": " + e.getMessage(), e);
        }
        if (!(p instanceof TextPreprocessing text)) {
            throw new IOException(file + ": not a text model (no vocabulary in its metadata); train one with 'unroll text train' or"
                    + " 'unroll classify --tsv'");
        }
        Layer layer = loaded.model();
        if (!(layer instanceof Sequential s) || s.layers().isEmpty() || !(s.layers().get(0) instanceof Embedding e)) {
            throw new IOException(file + ": a text model must start with an embedding, got " + layer);
        }
        if (e.vocabulary() != text.vocabulary().size()) {
            throw new IOException(file + ": the embedding has " + e.vocabulary() + " rows but the vocabulary " + text.vocabulary().size()
                    + " ids");
        }
        return new TextModel(file, s, text);
    }

    /** True when {@code metadata} holds a text preprocessing (for commands that take several kinds of model). */
    static boolean isText(java.util.Map<String, String> metadata) {
        try {
            return Preprocessing.fromMetadata(metadata) instanceof TextPreprocessing;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }
}
