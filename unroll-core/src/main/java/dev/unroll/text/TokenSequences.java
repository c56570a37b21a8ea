package dev.unroll.text;

import dev.unroll.preprocess.Vocabulary;
import dev.unroll.tensor.Rng;
import dev.unroll.tensor.Tensor;
import dev.unroll.train.Batch;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;

/**
 * Texts as id sequences of unequal lengths, each with a class (or −1), cut into batches of similar
 * lengths so that padding stays small ("bucketing", torchtext's {@code BucketIterator}): a batch is
 * {@code [batch, longest, 1]} ids with the batch's {@code lengths}, padded with the padding id.
 *
 * <p>{@link #shuffledBatches}: the texts in a seeded random order, cut into pools of
 * {@value #POOL_BATCHES} batches, each pool sorted by length and cut into batches, and the batches
 * shuffled — random batches whose members have about the same length. {@link #sortedBatches}: by
 * length, for evaluation.
 */
public final class TokenSequences {
    /** Batches per pool sorted together by {@link #shuffledBatches}. */
    public static final int POOL_BATCHES = 50;

    private final int[][] ids;
    private final int[] classes;
    private final int padId;

    /**
     * @param ids     one sequence per text, each at least one id
     * @param classes one class per text, or null
     * @param padId   the id padding fills batches with (masked by the lengths)
     */
    public TokenSequences(int[][] ids, int[] classes, int padId) {
        if (classes != null && classes.length != ids.length) {
            throw new IllegalArgumentException(ids.length + " sequences but " + classes.length + " classes");
        }
        for (int i = 0; i < ids.length; i++) {
            if (ids[i].length == 0) {
                throw new IllegalArgumentException("sequence " + i + " is empty");
            }
        }
        this.ids = ids;
        this.classes = classes;
        this.padId = padId;
    }

    /**
     * The ids of {@code texts}, each cut to its first {@code maxLength} ids; padding with the
     * vocabulary's padding id (0 for bytes).
     */
    public static TokenSequences encode(Vocabulary vocabulary, List<String> texts, int[] classes, int maxLength) {
        if (maxLength < 1) {
            throw new IllegalArgumentException("maximum length must be at least 1, got " + maxLength);
        }
        int[][] ids = new int[texts.size()][];
        for (int i = 0; i < ids.length; i++) {
            int[] all = vocabulary.encode(texts.get(i));
            ids[i] = all.length > maxLength ? Arrays.copyOf(all, maxLength) : all;
            if (ids[i].length == 0) {
                ids[i] = new int[] {Math.max(vocabulary.unk(), 0)};
            }
        }
        return new TokenSequences(ids, classes, Math.max(vocabulary.pad(), 0));
    }

    public int size() {
        return ids.length;
    }

    public int[] ids(int i) {
        return ids[i];
    }

    /** The classes, or null. */
    public int[] classes() {
        return classes == null ? null : classes.clone();
    }

    /** Total ids over all sequences. */
    public long tokens() {
        long n = 0;
        for (int[] s : ids) {
            n += s.length;
        }
        return n;
    }

    /** Seeded random batches of similar lengths (see the class comment); the last batch may be smaller. */
    public List<int[]> shuffledBatches(int batch, Rng rng) {
        checkBatch(batch);
        int[] order = rng.permutation(ids.length);
        List<int[]> batches = new ArrayList<>();
        int pool = batch * POOL_BATCHES;
        for (int p = 0; p < order.length; p += pool) {
            Integer[] members = new Integer[Math.min(pool, order.length - p)];
            for (int i = 0; i < members.length; i++) {
                members[i] = order[p + i];
            }
            Arrays.sort(members, Comparator.comparingInt(i -> ids[i].length));
            cut(members, batch, batches);
        }
        for (int i = batches.size() - 1; i > 0; i--) {
            int j = rng.nextInt(i + 1);
            int[] t = batches.get(i);
            batches.set(i, batches.get(j));
            batches.set(j, t);
        }
        return batches;
    }

    /** Every sequence once, in batches by length (for evaluation). */
    public List<int[]> sortedBatches(int batch) {
        checkBatch(batch);
        Integer[] members = new Integer[ids.length];
        for (int i = 0; i < members.length; i++) {
            members[i] = i;
        }
        Arrays.sort(members, Comparator.comparingInt(i -> ids[i].length));
        List<int[]> batches = new ArrayList<>();
        cut(members, batch, batches);
        return batches;
    }

    private static void cut(Integer[] members, int batch, List<int[]> out) {
        for (int b = 0; b < members.length; b += batch) {
            int[] idx = new int[Math.min(batch, members.length - b)];
            for (int i = 0; i < idx.length; i++) {
                idx[i] = members[b + i];
            }
            out.add(idx);
        }
    }

    private static void checkBatch(int batch) {
        if (batch < 1) {
            throw new IllegalArgumentException("batch must be at least 1, got " + batch);
        }
    }

    /** The batch of the sequences at {@code indices}: ids {@code [n, longest, 1]}, lengths, classes. */
    public Batch batch(int[] indices) {
        int longest = 0;
        for (int i : indices) {
            longest = Math.max(longest, ids[i].length);
        }
        float[] x = new float[indices.length * longest];
        if (padId != 0) {
            Arrays.fill(x, padId);
        }
        int[] lengths = new int[indices.length];
        int[] labels = classes == null ? null : new int[indices.length];
        for (int b = 0; b < indices.length; b++) {
            int[] s = ids[indices[b]];
            for (int t = 0; t < s.length; t++) {
                x[b * longest + t] = s[t];
            }
            lengths[b] = s.length;
            if (labels != null) {
                labels[b] = classes[indices[b]];
            }
        }
        return new Batch(Tensor.of(x, indices.length, longest, 1), null, labels, lengths);
    }
}
