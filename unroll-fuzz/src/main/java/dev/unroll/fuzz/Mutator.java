package dev.unroll.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Seeded mutations of valid inputs into hostile ones, the same sequence for the same seed: bit
 * flips, interesting bytes, insertions, deletions, truncations, repeated chunks (deep nesting, long
 * lines, quote storms), numbers in text replaced by extreme ones, binary length fields overwritten
 * with huge values, and splices of two inputs. One call stacks one to four of them.
 */
public final class Mutator {
    /** Bytes that change meaning in the formats read here. */
    private static final byte[] INTERESTING_BYTES = {0, (byte) 0xFF, 0x7F, (byte) 0x80, (byte) 0xC3, (byte) 0xED, '[', ']', '{', '}',
        '"', '\\', ',', ':', ';', '\t', '\n', '\r', '0', '9', '-', '+', '.', 'e', 'x', 0x1f, (byte) 0x8b};
    /** Numbers that sit on a boundary of some range. */
    private static final List<String> EXTREME_NUMBERS = List.of("0", "-1", "-0", "1e400", "-1e400", "2147483647", "2147483648",
        "4294967295", "9223372036854775807", "99999999999999999999", "46341", "65536", "1e-400", "0x1p3", "NaN", "1.", ".5", "00");
    /** Values a binary length or size field may be overwritten with. */
    private static final long[] EXTREME_LENGTHS = {0, 1, -1, 0x7FFFFFFFL, 0x80000000L, 0xFFFFFFFFL, Long.MAX_VALUE, Long.MIN_VALUE,
        1L << 31, 1L << 33, 100L << 20};

    private final SplittableRandom random;

    public Mutator(long seed) {
        this.random = new SplittableRandom(seed);
    }

    /** A random int in {@code [0, bound)}. */
    public int nextInt(int bound) {
        return random.nextInt(bound);
    }

    /** One of the elements, chosen uniformly. */
    public <T> T pick(List<T> choices) {
        return choices.get(random.nextInt(choices.size()));
    }

    /** One to four stacked mutations of {@code input}, with {@code other} as the splice partner. */
    public byte[] mutate(byte[] input, byte[] other) {
        byte[] out = input;
        int rounds = 1 + random.nextInt(4);
        for (int i = 0; i < rounds; i++) {
            out = mutateOnce(out, other);
        }
        return out;
    }

    private byte[] mutateOnce(byte[] in, byte[] other) {
        if (in.length == 0) {
            return insert(in);
        }
        return switch (random.nextInt(10)) {
            case 0 -> flipBit(in);
            case 1 -> setInterestingByte(in);
            case 2 -> insert(in);
            case 3 -> delete(in);
            case 4 -> truncate(in);
            case 5 -> repeatChunk(in);
            case 6 -> replaceNumber(in);
            case 7 -> overwriteLength(in);
            case 8 -> splice(in, other);
            default -> flipBit(flipBit(in));
        };
    }

    private byte[] flipBit(byte[] in) {
        byte[] out = in.clone();
        int at = random.nextInt(out.length);
        out[at] ^= (byte) (1 << random.nextInt(8));
        return out;
    }

    private byte[] setInterestingByte(byte[] in) {
        byte[] out = in.clone();
        out[random.nextInt(out.length)] = INTERESTING_BYTES[random.nextInt(INTERESTING_BYTES.length)];
        return out;
    }

    private byte[] insert(byte[] in) {
        int at = in.length == 0 ? 0 : random.nextInt(in.length + 1);
        byte[] bytes = new byte[1 + random.nextInt(16)];
        for (int i = 0; i < bytes.length; i++) {
            bytes[i] = random.nextBoolean() ? INTERESTING_BYTES[random.nextInt(INTERESTING_BYTES.length)] : (byte) random.nextInt(256);
        }
        return replace(in, at, at, bytes);
    }

    private byte[] delete(byte[] in) {
        int from = random.nextInt(in.length);
        int to = Math.min(in.length, from + 1 + random.nextInt(Math.max(1, in.length / 4)));
        return replace(in, from, to, new byte[0]);
    }

    private byte[] truncate(byte[] in) {
        return java.util.Arrays.copyOf(in, random.nextInt(in.length));
    }

    /** A chunk repeated up to a few thousand times: nesting, long lines, many fields. */
    private byte[] repeatChunk(byte[] in) {
        int from = random.nextInt(in.length);
        int to = Math.min(in.length, from + 1 + random.nextInt(Math.min(16, in.length - from)));
        byte[] chunk = java.util.Arrays.copyOfRange(in, from, to);
        int times = 1 << random.nextInt(13);
        ByteArrayOutputStream repeated = new ByteArrayOutputStream(chunk.length * times);
        for (int i = 0; i < times; i++) {
            repeated.writeBytes(chunk);
        }
        return replace(in, from, to, repeated.toByteArray());
    }

    /** A run of digits (a number in a text format) replaced by an extreme number. */
    private byte[] replaceNumber(byte[] in) {
        int start = random.nextInt(in.length);
        while (start < in.length && !Character.isDigit(in[start])) {
            start++;
        }
        if (start == in.length) {
            return setInterestingByte(in);
        }
        int end = start;
        while (end < in.length && (Character.isDigit(in[end]) || in[end] == '.' || in[end] == 'e' || in[end] == '-')) {
            end++;
        }
        return replace(in, start, end, EXTREME_NUMBERS.get(random.nextInt(EXTREME_NUMBERS.size())).getBytes(StandardCharsets.US_ASCII));
    }

    /** Four or eight bytes (a length field of a binary format), either byte order, set to an extreme value. */
    private byte[] overwriteLength(byte[] in) {
        int width = random.nextBoolean() ? 4 : 8;
        if (in.length < width) {
            return flipBit(in);
        }
        byte[] out = in.clone();
        int at = random.nextInt(4) == 0 ? 0 : random.nextInt(in.length - width + 1);
        long value = EXTREME_LENGTHS[random.nextInt(EXTREME_LENGTHS.length)];
        boolean little = random.nextBoolean();
        for (int i = 0; i < width; i++) {
            int shift = 8 * (little ? i : width - 1 - i);
            out[at + i] = (byte) (value >>> shift);
        }
        return out;
    }

    /** The start of this input joined to the end of another. */
    private byte[] splice(byte[] in, byte[] other) {
        if (other.length == 0) {
            return truncate(in);
        }
        int cut = random.nextInt(in.length);
        int from = random.nextInt(other.length);
        return replace(in, cut, in.length, java.util.Arrays.copyOfRange(other, from, other.length));
    }

    private static byte[] replace(byte[] in, int from, int to, byte[] with) {
        byte[] out = new byte[in.length - (to - from) + with.length];
        System.arraycopy(in, 0, out, 0, from);
        System.arraycopy(with, 0, out, from, with.length);
        System.arraycopy(in, to, out, from + with.length, in.length - to);
        return out;
    }
}
