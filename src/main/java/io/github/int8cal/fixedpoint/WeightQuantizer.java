package io.github.int8cal.fixedpoint;

/**
 * Symmetric max-abs int8 weight quantization as nvdla_compiler does it
 * ({@code WeightTrns::perKernelQuantizeWts / perFilterQuantizeWts}, docs/nvdla-compiler.md#weight-quantization):
 * {@code Sw = absmax / 127} in float32, clamp to [-128, 127]. A scope whose max-abs is 0 gets
 * {@code Sw = zeroScale} (the compiler itself would produce NaN there; callers report it).
 */
public final class WeightQuantizer {

    private WeightQuantizer() {
    }

    /**
     * @param weights   per output channel, the filter's C·R·S float32 weights (any order)
     * @param zeroScale scale to use for an all-zero scope
     */
    public static QuantizedWeights quantize(float[][] weights, WeightScope scope, WeightRounding rounding,
            float zeroScale) {
        int k = weights.length;
        float[] scales = new float[k];
        boolean[] allZero = new boolean[k];
        if (scope == WeightScope.PER_KERNEL) {
            float max = 0f;
            for (float[] filter : weights) {
                max = Math.max(max, absMax(filter));
            }
            for (int i = 0; i < k; i++) {
                scales[i] = max == 0f ? zeroScale : max / 127f;
                allZero[i] = absMax(weights[i]) == 0f;
            }
        } else {
            for (int i = 0; i < k; i++) {
                float max = absMax(weights[i]);
                scales[i] = max == 0f ? zeroScale : max / 127f;
                allZero[i] = max == 0f;
            }
        }
        byte[][] values = new byte[k][];
        for (int i = 0; i < k; i++) {
            values[i] = quantizeFilter(weights[i], scales[i], rounding);
        }
        return new QuantizedWeights(scope, values, scales, allZero);
    }

    /** Max |w| in float32 (NaN is not expected here; callers validate weights first). */
    public static float absMax(float[] values) {
        float max = 0f;
        for (float v : values) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }

    private static byte[] quantizeFilter(float[] filter, float scale, WeightRounding rounding) {
        byte[] q = new byte[filter.length];
        float inv = 1f / scale;
        for (int j = 0; j < filter.length; j++) {
            long rounded;
            if (rounding == WeightRounding.COMPILER_HALF_UP_FLOAT32) {
                float sum = filter[j] * inv + 0.5f; // float32 product and sum, as in the C++
                rounded = (long) Math.floor(sum);
            } else {
                rounded = Rounding.roundHalfAwayFromZero((double) filter[j] / scale);
            }
            q[j] = (byte) Rounding.saturate(rounded, 8);
        }
        return q;
    }
}
