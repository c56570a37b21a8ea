package dev.unroll.text;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.unroll.io.Checkpoint;
import dev.unroll.io.SafeTensors;
import dev.unroll.nn.CellType;
import dev.unroll.nn.Context;
import dev.unroll.nn.Parameter;
import dev.unroll.nn.Sequential;
import dev.unroll.tensor.Tensor;
import dev.unroll.autograd.Variable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * PyTorch's {@code nn.Embedding → nn.LSTM → nn.Linear} (and a GRU classifier on packed lengths),
 * saved as bare state_dicts by {@code tools/fixtures/text_models.py export}, load into Unroll's
 * text models with PyTorch's logits (1e-5) and gradients; Unroll's checkpoint of the language
 * model is written for the reverse check ({@code tools/interop/text_roundtrip.sh}: PyTorch loads
 * it and gives Unroll's logits).
 */
class PyTorchTextTest {
    private static Path fixture(String name) throws Exception {
        return Path.of(PyTorchTextTest.class.getResource("/fixtures/text/" + name).toURI());
    }

    private static void assertClose(Tensor expected, Tensor actual, double tol, String what) {
        assertArrayEquals(expected.shape(), actual.shape(), what);
        float[] e = expected.toArray();
        float[] a = actual.toArray();
        for (int i = 0; i < e.length; i++) {
            assertEquals(e[i], a[i], tol, what + "[" + i + "]");
        }
    }

    private static void checkGradients(Sequential model, SafeTensors.Contents io) throws Exception {
        for (Map.Entry<String, Parameter> p : model.namedParameters().entrySet()) {
            assertClose(io.require("grad." + p.getKey()), p.getValue().grad(), 1e-5, "grad." + p.getKey());
        }
    }

    @Test
    void languageModelLoadsWithPyTorchsLogitsAndGradients() throws Exception {
        SafeTensors.Contents io = SafeTensors.read(fixture("embedding_lstm_linear.io.safetensors"));
        Tensor ids = io.require("ids");
        Sequential model = LanguageModel.build(11, new LanguageModel.Settings(CellType.LSTM, 4, 5, 1, 1, 1, 1, 0.1, 0, 1, 1));
        // PyTorch's table has a padding row (padding_idx=0); the language model's has none, which changes no logit.
        Checkpoint.loadInto(model, fixture("embedding_lstm_linear.safetensors"));
        Tensor x = ids.reshape(ids.dim(0), ids.dim(1), 1);
        Variable logits = model.forward(Variable.constant(x), Context.inference());
        assertClose(io.require("logits"), logits.value(), 1e-5, "logits");
        logits.backward(io.require("R"));
        Tensor g = io.require("grad.embedding.weight");
        // Unroll's table without a padding id trains row 0 too; PyTorch's does not: compare the other rows.
        for (Map.Entry<String, Parameter> p : model.namedParameters().entrySet()) {
            if (!p.getKey().equals("embedding.weight")) {
                assertClose(io.require("grad." + p.getKey()), p.getValue().grad(), 1e-5, "grad." + p.getKey());
            }
        }
        Tensor mine = model.namedParameters().get("embedding.weight").grad();
        for (int i = g.dim(1); i < g.size(); i++) {
            assertEquals(g.data()[i], mine.data()[i], 1e-5, "grad.embedding.weight[" + i + "]");
        }

        // The reverse direction's input: Unroll's checkpoint and its logits, for tools/interop/text_roundtrip.sh.
        Path dir = Path.of("target", "text-interop");
        Files.createDirectories(dir);
        Checkpoint.save(model, dir.resolve("unroll_lm.safetensors"));
        Map<String, Tensor> out = new LinkedHashMap<>();
        out.put("ids", ids);
        out.put("logits", model.predict(x));
        SafeTensors.write(dir.resolve("unroll_lm.io.safetensors"), out, Map.of());
    }

    @Test
    void classifierWithPaddingAndLengthsMatchesPackedSequences() throws Exception {
        SafeTensors.Contents io = SafeTensors.read(fixture("embedding_gru_classifier.io.safetensors"));
        Tensor ids = io.require("ids");
        float[] l = io.require("lengths").toArray();
        int[] lengths = new int[l.length];
        for (int i = 0; i < l.length; i++) {
            lengths[i] = (int) l[i];
        }
        Sequential model = TextClassifier.build(11, 0, 3, new TextClassifier.Settings(CellType.GRU, 4, 5, 1, 1, 1, 0.1, 1, 1));
        Checkpoint.loadInto(model, fixture("embedding_gru_classifier.safetensors"));
        Variable logits = model.forward(Variable.constant(ids.reshape(ids.dim(0), ids.dim(1), 1)), Context.inference(lengths));
        assertClose(io.require("logits"), logits.value(), 1e-5, "logits");
        logits.backward(io.require("R"));
        checkGradients(model, io);
    }
}
