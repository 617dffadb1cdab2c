package io.github.int8cal.fixedpoint;

/**
 * Bias and BatchNorm-mean operands to int16 plus a common left shift.
 *
 * <p>Compiler rule ({@code SDPBiasOpNode::scaleBiasToInt16}, {@code SDPBatchNormOpNode::scaleMeanToInt16},
 * docs/nvdla-compiler.md#bias-and-bn-mean): {@code b32 = (int) floor(float(b / float(Si*Sw[k])) + 0.5f)},
 * {@code nbits = ceil(log2 |max|) + 1}, {@code s = min(16, max(0, nbits - 16))},
 * {@code b16 = (int16)(b32 >> s)} (floor, and a wrap when it does not fit). The BN-mean variant
 * then lowers {@code s} while any channel's int16 mean is 0.
 *
 * <p>Precise rule: the operand in accumulator units is computed in double and rounded half away
 * from zero; the shift is the smallest that makes every rounded {@code b32 / 2^s} fit int16.
 */
public final class BiasQuantizer {

    /** {@code SDP_LEFT_SHIFT_MAX_PLACES} in the compiler. */
    public static final int COMPILER_MAX_SHIFT = 16;

    private BiasQuantizer() {
    }

    /** Compiler bias: divisor per channel is {@code Si * Sw[k]} in float32. */
    public static ShiftedInt16 compilerBias(float[] bias, float inputScale, float[] weightScales) {
        boolean[] castOverflow = new boolean[bias.length];
        long[] b32 = compilerInt32(bias, inputScale, weightScales, castOverflow);
        return compilerShift(b32, compilerInitialShift(b32), false, castOverflow);
    }

    /** Compiler BN mean (fused to a conv): same rounding, plus the "keep small means non-zero" loop. */
    public static ShiftedInt16 compilerMean(float[] mean, float inputScale, float[] weightScales) {
        boolean[] castOverflow = new boolean[mean.length];
        long[] b32 = compilerInt32(mean, inputScale, weightScales, castOverflow);
        return compilerShift(b32, compilerInitialShift(b32), true, castOverflow);
    }

    /** {@code (int) floor(float(b / float(Si*Sw)) + 0.5f)}; out-of-range casts give INT_MIN as on x86. */
    static long[] compilerInt32(float[] values, float inputScale, float[] weightScales, boolean[] castOverflow) {
        long[] out = new long[values.length];
        for (int k = 0; k < values.length; k++) {
            float divisor = inputScale * weightScales[k];
            float scaled = values[k] / divisor;
            double floored = Math.floor(scaled + 0.5f);
            castOverflow[k] = !(floored >= -2147483648.0 && floored < 2147483648.0);
            out[k] = castOverflow[k] ? Integer.MIN_VALUE : (long) floored;
        }
        return out;
    }

    static int compilerInitialShift(long[] b32) {
        long max = 0;
        for (long v : b32) {
            if (Math.abs(v) > Math.abs(max)) {
                max = v; // first largest |v|, like std::max_element with absCompare
            }
        }
        if (max == 0) {
            return 0; // log(0) = -inf: the C++ ends with max(0, ...) = 0
        }
        int numBits = (int) Math.ceil(Math.log(Math.abs(max)) / Math.log(2)) + 1;
        return Math.min(COMPILER_MAX_SHIFT, Math.max(0, numBits - 16));
    }

    private static ShiftedInt16 compilerShift(long[] b32, int initialShift, boolean keepMeansNonZero,
            boolean[] castOverflow) {
        int shift = initialShift;
        int[] b16 = new int[b32.length];
        boolean[] wrapped = new boolean[b32.length];
        boolean done;
        do {
            done = true;
            for (int k = 0; k < b32.length; k++) {
                long shifted = b32[k] >> shift;
                b16[k] = (short) shifted;
                wrapped[k] = b16[k] != shifted || castOverflow[k];
                if (keepMeansNonZero && b16[k] == 0 && shift > 0) {
                    shift--;
                    done = false;
                    break;
                }
            }
        } while (!done);
        return new ShiftedInt16(b32, b16, shift, wrapped);
    }

    /**
     * Precise operands: {@code accumulatorUnits[k]} is the exact operand in accumulator units
     * (e.g. {@code b / (Si*Sw[k])} in double). Values needing more than 31 bits saturate (the
     * caller should have used the CACC clip to avoid that) and are marked wrapped.
     */
    public static ShiftedInt16 precise(double[] accumulatorUnits) {
        long[] b32 = new long[accumulatorUnits.length];
        boolean[] wrapped = new boolean[accumulatorUnits.length];
        for (int k = 0; k < b32.length; k++) {
            long r = Rounding.roundHalfAwayFromZero(accumulatorUnits[k]);
            b32[k] = Rounding.saturate(r, 32);
            wrapped[k] = b32[k] != r;
        }
        int shift = 0;
        while (!fitsInt16(b32, shift)) {
            shift++;
        }
        int[] b16 = new int[b32.length];
        for (int k = 0; k < b32.length; k++) {
            b16[k] = (int) Rounding.shiftRightRoundHalfAwayFromZero(b32[k], shift);
        }
        return new ShiftedInt16(b32, b16, shift, wrapped);
    }

    private static boolean fitsInt16(long[] b32, int shift) {
        for (long v : b32) {
            if (Rounding.saturates(Rounding.shiftRightRoundHalfAwayFromZero(v, shift), 16)) {
                return false;
            }
        }
        return true;
    }
}
