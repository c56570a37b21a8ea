package dev.unroll.serve;

import static dev.unroll.serve.ModelServerTest.assertError;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.unroll.autograd.Autograd;
import dev.unroll.autograd.Variable;
import dev.unroll.infer.Predictor;
import dev.unroll.io.Checkpoint;
import dev.unroll.nn.CellType;
import dev.unroll.nn.Context;
import dev.unroll.nn.Sequential;
import dev.unroll.preprocess.TextPreprocessing;
import dev.unroll.preprocess.Vocabulary;
import dev.unroll.tensor.Tensor;
import dev.unroll.text.LanguageModel;
import dev.unroll.text.Sampler;
import dev.unroll.text.TextClassifier;
import dev.unroll.text.TextGenerator;
import dev.unroll.text.TokenSequences;
import java.net.http.HttpResponse;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Text models behind a real server: a classifier takes raw texts and answers labels by name, a
 * language model continues a prompt; both with the numbers of the library's own paths (the
 * classifier's forward pass, {@link TextGenerator}), and bad texts get 4xx errors.
 */
class TextServingTest {
    static final List<String> LABELS = List.of("de", "en");
    static Sequential classifierModel;
    static Vocabulary chars;
    static Sequential languageModel;
    static ModelServer classifies;
    static ModelServer generates;
    static Client c;
    static Client g;

    @BeforeAll
    static void start() throws Exception {
        chars = Vocabulary.characters(List.of("haus", "house", "straße", "street", "maus", "mouse"), 1, 100);
        TextClassifier.Settings cs = new TextClassifier.Settings(CellType.GRU, 8, 12, 1, 4, 1, 0.001, 3, 1);
        classifierModel = TextClassifier.build(chars.size(), chars.pad(), LABELS.size(), cs);
        LanguageModel.Settings ls = new LanguageModel.Settings(CellType.LSTM, 8, 16, 1, 2, 10, 1, 0.002, 5, 4, 1);
        languageModel = LanguageModel.build(256, ls);
        ServerOptions options = ServerOptions.builder().port(0).maxBatch(4).maxSteps(40).maxHorizon(64).build();
        // Through checkpoint bytes, as `unroll serve` loads a saved model with its vocabulary.
        classifies = ModelServer.start(Predictor.load(Checkpoint.toBytes(classifierModel,
                new TextPreprocessing(chars, LABELS).toMetadata()), "classifier"), options);
        generates = ModelServer.start(Predictor.load(Checkpoint.toBytes(languageModel,
                TextPreprocessing.languageModel(Vocabulary.bytes()).toMetadata()), "language model"), options);
        c = new Client(classifies.url());
        g = new Client(generates.url());
    }

    @AfterAll
    static void stop() {
        classifies.stop();
        generates.stop();
    }

    /** The classifier's probabilities for one text by its forward pass, as `unroll predict --text` computes them. */
    private static float[] forward(String text) {
        TokenSequences s = TokenSequences.encode(chars, List.of(text), null, 1000);
        try (var scope = Autograd.noGrad()) {
            var b = s.batch(new int[] {0});
            Tensor logits = classifierModel.forward(Variable.constant(b.inputs()), Context.inference(b.lengths())).value();
            float[] z = logits.toArray();
            double max = Math.max(z[0], z[1]);
            double e0 = Math.exp(z[0] - max), e1 = Math.exp(z[1] - max);
            return new float[] {(float) (e0 / (e0 + e1)), (float) (e1 / (e0 + e1))};
        }
    }

    @Test
    void aTextClassifierAnswersLabelsByName() {
        HttpResponse<String> r = c.post("/classify", "{\"texts\": [\"haus\", \"street\", \"mäuse\"]}");
        assertEquals(200, r.statusCode(), r.body());
        float[] p = Client.floats(r.body(), "probabilities");
        assertEquals(6, p.length, r.body());
        String[] texts = {"haus", "street", "mäuse"};
        for (int i = 0; i < 3; i++) {
            float[] expected = forward(texts[i]);
            assertEquals(expected[0], p[2 * i], 1e-6, texts[i]);
            assertEquals(expected[1], p[2 * i + 1], 1e-6, texts[i]);
            String label = LABELS.get(p[2 * i + 1] > p[2 * i] ? 1 : 0);
            assertTrue(r.body().contains("\"labels\":[") && r.body().contains("\"" + label + "\""), r.body());
        }
        assertTrue(c.get("/health").body().contains("\"text\":\"classifier of 2 labels, char vocabulary of " + chars.size() + " ids\""),
                c.get("/health").body());
    }

    @Test
    void badTextsGetClearErrors() {
        assertError(400, "texts[1]: an empty text", c.post("/classify", "{\"texts\": [\"haus\", \"\"]}"));
        assertError(400, "texts[0]: expected a string, got the number 3", c.post("/classify", "{\"texts\": [3]}"));
        assertError(400, "texts: an empty array", c.post("/classify", "{\"texts\": []}"));
        assertError(413, "more than 4 strings (the limit, --max-batch)", c.post("/classify", "{\"texts\": [\"a\",\"b\",\"c\",\"d\",\"e\"]}"));
        assertError(413, "texts[0]: 41 tokens, over the limit of 40 (--max-steps)",
                c.post("/classify", "{\"texts\": [\"" + "a".repeat(41) + "\"]}"));
        assertError(400, "missing field 'texts'", c.post("/classify", "{}"));
        assertError(400, "temperature: expected a number of at least 0, got -1", g.post("/generate",
                "{\"prompt\": \"a\", \"length\": 3, \"temperature\": -1}"));
        assertError(400, "top_p: expected a number in [0, 1], got 2", g.post("/generate",
                "{\"prompt\": \"a\", \"length\": 3, \"top_p\": 2}"));
        assertError(400, "top-p must be in (0, 1], got 0", g.post("/generate", "{\"prompt\": \"a\", \"length\": 3, \"top_p\": 0}"));
        assertError(413, "length: 65 exceeds the limit of 64 (--max-horizon)", g.post("/generate", "{\"prompt\": \"a\", \"length\": 65}"));
        assertEquals(200, c.post("/classify", "{\"texts\": [\"maus\"]}").statusCode(), "the server keeps serving");
    }

    @Test
    void aLanguageModelContinuesAPromptAsTheGeneratorDoes() {
        Sampler.Options options = new Sampler.Options(0.9, 20, 0.95, 1.1, 7);
        int[] prompt = Vocabulary.bytes().encode("Wh");
        int[] ids = new TextGenerator(languageModel).generate(prompt, 30, new int[0], options, id -> { });
        Vocabulary.Decoder d = Vocabulary.bytes().decoder();
        StringBuilder expected = new StringBuilder();
        for (int id : ids) {
            expected.append(d.append(id));
        }
        expected.append(d.finish());
        String body = "{\"prompt\": \"Wh\", \"length\": 30, \"temperature\": 0.9, \"top_k\": 20, \"top_p\": 0.95,"
                + " \"repetition_penalty\": 1.1, \"seed\": 7}";
        HttpResponse<String> r = g.post("/generate", body);
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(expected.toString(), Client.text(r.body(), "text"));
        assertEquals(r.body(), g.post("/generate", body).body(), "the same seed, the same text");
        assertArrayEquals(new float[] {30}, Client.floats(r.body(), "tokens"));
    }
}
