package dev.unroll.infer;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * The recurrent state of one streaming session, as a value: immutable, small ({@code stateSize}
 * floats: each recurrent cell's h, and c for LSTM), and convertible to bytes and back bit for bit,
 * so a server can keep a million idle sessions in memory or in a store. A {@link Predictor} makes
 * them ({@link Predictor#newSession}, {@link Predictor#session}, {@link Predictor#restore}) and
 * steps them ({@link Predictor#step}), each step giving a new state.
 *
 * <p>A state carries the fingerprint of its model's state layout, so it cannot be stepped by, or
 * restored into, a model whose cells differ.
 *
 * <p>Bytes: {@code "URS1"}, the layout fingerprint (8 bytes), the number of floats (4 bytes), then
 * the floats' IEEE 754 bits; all little-endian.
 */
public final class SessionState {
    private static final int MAGIC = 0x31535255; // "URS1" read little-endian
    private static final int HEADER = 16;

    private final long layout;
    private final float[] values;

    /** Takes ownership of {@code values}: callers pass a fresh array. */
    SessionState(long layout, float[] values) {
        this.layout = layout;
        this.values = values;
    }

    /** Floats in the state. */
    public int size() {
        return values.length;
    }

    /** A copy of the state's floats, layer by layer: h, then c for LSTM. */
    public float[] values() {
        return values.clone();
    }

    /** The fingerprint of the model's state layout (see {@link Predictor#stateLayout()}). */
    public long layout() {
        return layout;
    }

    /** The state as bytes; {@link Predictor#restore} reads them back exactly. */
    public byte[] toBytes() {
        ByteBuffer b = ByteBuffer.allocate(HEADER + Float.BYTES * values.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(MAGIC).putLong(layout).putInt(values.length);
        for (float v : values) {
            b.putInt(Float.floatToRawIntBits(v));
        }
        return b.array();
    }

    /** Reads {@link #toBytes}'s format; the caller checks the layout. */
    static SessionState fromBytes(byte[] bytes) {
        if (bytes.length < HEADER) {
            throw new IllegalArgumentException("session state: expected at least " + HEADER + " bytes, got " + bytes.length);
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int magic = b.getInt();
        if (magic != MAGIC) {
            throw new IllegalArgumentException("session state: not an Unroll session state (it starts with bytes "
                    + String.format("%08x", Integer.reverseBytes(magic)) + ", expected 55525331, \"URS1\")");
        }
        long layout = b.getLong();
        int count = b.getInt();
        long expected = HEADER + (long) Float.BYTES * Math.max(0, count);
        if (count < 0 || expected != bytes.length) {
            throw new IllegalArgumentException("session state: its header says " + count + " floats (" + expected + " bytes), got "
                    + bytes.length + " bytes");
        }
        float[] values = new float[count];
        for (int i = 0; i < count; i++) {
            values[i] = Float.intBitsToFloat(b.getInt());
        }
        return new SessionState(layout, values);
    }

    /** The internal array, for the predictor's kernels (never handed out). */
    float[] array() {
        return values;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SessionState s && s.layout == layout && Arrays.equals(s.values, values);
    }

    @Override
    public int hashCode() {
        return Long.hashCode(layout) * 31 + Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "session state (" + values.length + " floats, layout " + Long.toHexString(layout) + ")";
    }
}
