package io.github.int8cal.model;

import java.util.Arrays;

/**
 * The float32 values of a constant tensor (weights, bias, BN statistics), row-major in the tensor's
 * shape. Immutable: the array is never handed out, only copies.
 */
public final class Weights {

    private final float[] values;

    private Weights(float[] values) {
        this.values = values;
    }

    /** Takes a copy of {@code values}. */
    public static Weights copyOf(float[] values) {
        return new Weights(values.clone());
    }

    /** Takes ownership of an array the caller will not touch again (avoids copying large blobs). */
    static Weights wrap(float[] values) {
        return new Weights(values);
    }

    public int length() {
        return values.length;
    }

    public float get(int index) {
        return values[index];
    }

    public float[] toArray() {
        return values.clone();
    }

    /** Largest absolute value (0 for an empty tensor); NaN is reported by the readers, not here. */
    public float absMax() {
        float m = 0f;
        for (float v : values) {
            m = Math.max(m, Math.abs(v));
        }
        return m;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Weights w && Arrays.equals(values, w.values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values);
    }

    @Override
    public String toString() {
        return "Weights[" + values.length + " floats]";
    }
}
