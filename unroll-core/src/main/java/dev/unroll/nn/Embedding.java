package dev.unroll.nn;

import dev.unroll.autograd.Autograd;
import dev.unroll.autograd.Variable;
import dev.unroll.tensor.Rng;
import dev.unroll.tensor.Shape;
import dev.unroll.tensor.ShapeException;
import dev.unroll.tensor.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A lookup table of vectors, one row per token id (PyTorch's {@code nn.Embedding}): integer ids
 * {@code [batch, time]} (or {@code [batch, time, 1]}, the shape data sets and batches carry) →
 * {@code [batch, time, dim]}, {@code y[b, t] = weight[id[b, t]]}. One parameter, {@code weight
 * [vocabulary, dim]}, so in a {@link Sequential} named {@code embedding} it is PyTorch's
 * {@code embedding.weight}.
 *
 * <p>Ids travel in the float tensors every other layer reads; a float holds every integer up to
 * 2^24 exactly, and an id that is not an integer in {@code [0, vocabulary)} is an error naming its
 * position (never a silent wrong row).
 *
 * <p>The padding id (optional, as PyTorch's {@code padding_idx}) has a zero row that receives no
 * gradient; a frozen table (pretrained vectors) receives none at all. The backward pass adds each
 * step's output gradient into the row of that step's id only: it costs what the batch touches,
 * {@code batch·time·dim}, whatever the size of the table.
 *
 * <p>Initialization as PyTorch: N(0, 1), the padding row zero.
 */
public final class Embedding extends Layer {
    /** No padding id. */
    public static final int NO_PADDING = -1;

    private final int vocabulary;
    private final int dim;
    private final int paddingId;
    private final boolean frozen;
    private final Parameter weight;

    /** A table of {@code vocabulary} rows of {@code dim} values, N(0, 1), no padding id, trainable. */
    public Embedding(int vocabulary, int dim, Rng rng) {
        this(vocabulary, dim, NO_PADDING, false, rng);
    }

    /**
     * @param paddingId an id in {@code [0, vocabulary)} whose row is zero and never trained, or
     *                  {@link #NO_PADDING}
     * @param frozen    true: the table receives no gradient (e.g. pretrained vectors loaded with
     *                  {@link #load})
     */
    public Embedding(int vocabulary, int dim, int paddingId, boolean frozen, Rng rng) {
        if (vocabulary <= 0 || dim <= 0) {
            throw new IllegalArgumentException("embedding: vocabulary and dim must be positive, got " + vocabulary + " and " + dim);
        }
        if (paddingId != NO_PADDING && (paddingId < 0 || paddingId >= vocabulary)) {
            throw new IllegalArgumentException("embedding: padding id " + paddingId + " is outside the vocabulary [0, " + vocabulary + ")");
        }
        Configs.requireHeapFor("embedding(" + vocabulary + " x " + dim + ")", Configs.count(vocabulary, dim, 0));
        this.vocabulary = vocabulary;
        this.dim = dim;
        this.paddingId = paddingId;
        this.frozen = frozen;
        Tensor w = Tensor.randn(rng, vocabulary, dim);
        if (paddingId != NO_PADDING) {
            Arrays.fill(w.data(), paddingId * dim, (paddingId + 1) * dim, 0f);
        }
        this.weight = addParameter(new Parameter("weight", w));
    }

    public int vocabulary() {
        return vocabulary;
    }

    public int dim() {
        return dim;
    }

    /** The padding id, or {@link #NO_PADDING}. */
    public int paddingId() {
        return paddingId;
    }

    public boolean frozen() {
        return frozen;
    }

    public Parameter weight() {
        return weight;
    }

    /** Copies a table in (e.g. pretrained vectors); the padding row is then set to zero. */
    public void load(Tensor table) {
        weight.load(table);
        if (paddingId != NO_PADDING) {
            Tensor w = weight.value();
            Arrays.fill(w.data(), w.offset() + paddingId * dim, w.offset() + (paddingId + 1) * dim, 0f);
        }
    }

    /**
     * The id a float holds, checked: an integer in {@code [0, vocabulary)}, else an error naming
     * {@code where}.
     */
    public int id(float value, String where) {
        int id = (int) value;
        if (id != value || id < 0 || id >= vocabulary) {
            throw outside(value, where, vocabulary);
        }
        return id;
    }

    /** The error of an id that is not an integer in {@code [0, vocabulary)}. */
    static IllegalArgumentException outside(float value, String where, int vocabulary) {
        return new IllegalArgumentException("embedding: id " + ((int) value == value ? String.valueOf((int) value) : String.valueOf(value))
                + " at " + where + " is outside the vocabulary [0, " + vocabulary + ")");
    }

    @Override
    public Variable forward(Variable x, Context context) {
        int[] s = x.shape();
        if (!(s.length == 2 || (s.length == 3 && s[2] == 1))) {
            throw new ShapeException("embedding: expected ids [batch, time] or [batch, time, 1], got " + Shape.toString(s));
        }
        int batch = s[0];
        int steps = s[1];
        Tensor ids = x.value();
        int[] rows = new int[batch * steps];
        float[] in = ids.data();
        for (int i = 0; i < rows.length; i++) {
            float v = in[ids.offset() + i];
            int id = (int) v;
            if (id != v || id < 0 || id >= vocabulary) {
                id(v, "[" + i / steps + ", " + i % steps + "] (batch, step)");
            }
            rows[i] = id;
        }
        Tensor table = weight.value();
        float[] w = table.data();
        int wOff = table.offset();
        Tensor out = Tensor.zeros(batch, steps, dim);
        float[] y = out.data();
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(w, wOff + rows[i] * dim, y, i * dim, dim);
        }
        Variable table0 = weight.variable();
        if (frozen || !Autograd.needsGrad(table0)) {
            return Variable.constant(out);
        }
        return Autograd.record("embedding", out, dy -> {
            Tensor g = table0.gradForAccumulation();
            float[] gd = g.data();
            int gOff = g.offset();
            float[] d = dy.data();
            int dOff = dy.offset();
            for (int i = 0; i < rows.length; i++) {
                int id = rows[i];
                if (id == paddingId) {
                    continue;
                }
                int src = dOff + i * dim;
                int dst = gOff + id * dim;
                for (int j = 0; j < dim; j++) {
                    gd[dst + j] += d[src + j];
                }
            }
        }, table0);
    }

    @Override
    public String kind() {
        return "embedding";
    }

    @Override
    public Map<String, Object> config() {
        Map<String, Object> c = new LinkedHashMap<>();
        c.put("num_embeddings", vocabulary);
        c.put("embedding_dim", dim);
        c.put("padding_idx", paddingId);
        c.put("frozen", frozen);
        return c;
    }

    private static final List<String> KEYS = List.of("num_embeddings", "embedding_dim", "padding_idx", "frozen");

    static Embedding fromConfig(Map<String, Object> c) {
        Configs.requireKnownKeys("embedding", c, KEYS);
        return new Embedding(Configs.positive(c, "num_embeddings"), Configs.positive(c, "embedding_dim"),
                Configs.integer(c, "padding_idx"), Configs.bool(c, "frozen"), new Rng(0));
    }

    static long parameterCount(Map<String, Object> c) {
        Configs.requireKnownKeys("embedding", c, KEYS);
        return Configs.count(Configs.positive(c, "num_embeddings"), Configs.positive(c, "embedding_dim"), 0);
    }

    @Override
    public String toString() {
        return "embedding(" + vocabulary + " x " + dim + (paddingId == NO_PADDING ? "" : ", padding " + paddingId)
                + (frozen ? ", frozen" : "") + ")";
    }
}
