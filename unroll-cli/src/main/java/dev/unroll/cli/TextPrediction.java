package dev.unroll.cli;

import dev.unroll.autograd.Autograd;
import dev.unroll.autograd.Variable;
import dev.unroll.kernel.Softmax;
import dev.unroll.nn.Context;
import dev.unroll.preprocess.TextPreprocessing;
import dev.unroll.preprocess.Vocabulary;
import dev.unroll.text.LabeledTexts;
import dev.unroll.text.LanguageModel;
import dev.unroll.text.TextFiles;
import dev.unroll.text.TokenSequences;
import dev.unroll.tensor.Tensor;
import dev.unroll.train.Batch;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * {@code unroll predict} on text: a text classifier labels each text (with its probability); a
 * language model scores each text in bits per token. Texts come from {@code --text} (repeatable)
 * or from a table ({@code --tsv}: the text in column 0; a label in column 1, if any, is compared).
 */
final class TextPrediction {
    private TextPrediction() {
    }

    static int run(PrintWriter out, TextModel model, List<String> texts, Path table) throws IOException {
        TextPreprocessing text = model.text();
        Vocabulary v = text.vocabulary();
        List<String> inputs = new ArrayList<>(texts);
        int[] truth = null;
        if (table != null) {
            LabeledTexts t = readTable(table);
            inputs.addAll(t.texts());
            boolean labelled = t.texts() != t.labels();
            truth = labelled && text.isClassifier() ? t.classes(text.labels()) : null;
        }
        if (!text.isClassifier()) {
            double total = 0;
            long tokens = 0;
            for (String s : inputs) {
                int[] ids = v.encode(s);
                if (ids.length < 2) {
                    throw new IOException("a text to score needs at least 2 tokens, got " + ids.length + ": '" + s + "'");
                }
                double bits = LanguageModel.bitsPerToken(model.model(), ids, 1, 256);
                out.println(String.format(Locale.ROOT, "%.4f\t%s", bits, s));
                total += bits * (ids.length - 1);
                tokens += ids.length - 1;
            }
            out.println("bits_per_" + v.level().id + "=" + total / tokens);
            return 0;
        }
        TokenSequences seq = TokenSequences.encode(v, inputs, null, 100_000);
        int right = 0;
        try (var scope = Autograd.noGrad()) {
            for (int i = 0; i < inputs.size(); i++) {
                Batch b = seq.batch(new int[] {i});
                Tensor logits = model.model().forward(Variable.constant(b.inputs()), Context.inference(b.lengths())).value();
                int classes = logits.dim(1);
                double lse = Softmax.logSumExp(classes, logits.data(), logits.offset());
                int best = 0;
                for (int c = 1; c < classes; c++) {
                    if (logits.data()[logits.offset() + c] > logits.data()[logits.offset() + best]) {
                        best = c;
                    }
                }
                double p = Math.exp(logits.data()[logits.offset() + best] - lse);
                out.println(String.format(Locale.ROOT, "%s\t%.4f\t%s", text.labels().get(best), p, inputs.get(i)));
                int offset = texts.size();
                if (truth != null && i >= offset && truth[i - offset] == best) {
                    right++;
                }
            }
        }
        if (truth != null) {
            out.println("accuracy=" + (double) right / truth.length);
        } else {
            out.println("predictions=" + inputs.size());
        }
        return 0;
    }

    /** Lines of texts, or a table of texts and labels when every line has a tab. */
    private static LabeledTexts readTable(Path table) throws IOException {
        List<String> lines = TextFiles.read(table).lines().filter(l -> !l.isBlank()).toList();
        if (lines.stream().allMatch(l -> l.indexOf('\t') >= 0)) {
            return LabeledTexts.read(table);
        }
        return new LabeledTexts(lines, lines, new int[lines.size()], table);
    }
}
