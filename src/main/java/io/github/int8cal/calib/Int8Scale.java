package io.github.int8cal.calib;

import java.util.Locale;

/**
 * The float32 scale TensorRT writes for an amax, and its cache spelling.
 *
 * <p>TensorRT's sampleINT8 README gives the cache value as {@code abs(max_dynamic_range) / 127.0f}:
 * amax is a float32 and the division is a float32 division. So the amax is first rounded to
 * float32, then divided by {@code 127f}. For an amax that is already a float32 (every bin centre of
 * a float32 max) this equals {@code (float) (amax / 127.0)}, since a double quotient of two floats
 * rounds to the same float. {@code 1.000244140625} (2048.5/2048) gives {@code 3c010a14}.
 */
public final class Int8Scale {

    private Int8Scale() {
    }

    public static float fromAmax(double amax) {
        return (float) amax / 127f;
    }

    /** The amax a scale stands for, in double ({@code scale·127}). */
    public static double amaxOf(float scale) {
        return (double) scale * 127.0;
    }

    /** Lowercase 8-digit big-endian IEEE-754 bits, as TensorRT writes them ({@code 3c010a14}). */
    public static String hex(float scale) {
        return String.format(Locale.ROOT, "%08x", Float.floatToRawIntBits(scale));
    }
}
