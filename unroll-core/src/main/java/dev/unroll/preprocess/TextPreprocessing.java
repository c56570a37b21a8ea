package dev.unroll.preprocess;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The preprocessing of a text model, saved in its checkpoint (kind {@code "text"}): the
 * {@link Vocabulary} that turns text into ids and, for a classifier, its labels in the order of
 * its output classes (class {@code i} is {@code labels().get(i)}); a language model has no labels.
 *
 * <pre>{"kind": "text", "version": 1, "vocabulary": {"level": "char", "tokens": [...]}, "labels": ["de", "en", ...]}</pre>
 */
public record TextPreprocessing(Vocabulary vocabulary, List<String> labels) implements Preprocessing {
    public static final String KIND = "text";

    public TextPreprocessing {
        labels = List.copyOf(labels);
        if (new HashSet<>(labels).size() != labels.size()) {
            throw new IllegalArgumentException("text preprocessing: a label appears twice in " + labels);
        }
        if (labels.size() == 1) {
            throw new IllegalArgumentException("text preprocessing: a classifier needs at least 2 labels, got " + labels);
        }
    }

    /** A language model's: a vocabulary and no labels. */
    public static TextPreprocessing languageModel(Vocabulary vocabulary) {
        return new TextPreprocessing(vocabulary, List.of());
    }

    /** True for a classifier (it has labels). */
    public boolean isClassifier() {
        return !labels.isEmpty();
    }

    /** The class of a label, or −1 when training never saw it. */
    public int labelIndex(String label) {
        return labels.indexOf(label);
    }

    @Override
    public String kind() {
        return KIND;
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("vocabulary", vocabulary.config());
        c.put("labels", new ArrayList<>(labels));
        return c;
    }

    static TextPreprocessing fromConfig(Map<String, Object> c) {
        Configs.requireKeys("text preprocessing", c, "vocabulary", "labels");
        return new TextPreprocessing(Vocabulary.fromConfig(Configs.object(c, "vocabulary")), Configs.strings(c, "labels"));
    }
}
