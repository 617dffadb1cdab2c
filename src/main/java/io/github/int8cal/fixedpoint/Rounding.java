package io.github.int8cal.fixedpoint;

/**
 * The integer rounding and saturation rules of the NVDLA datapath, one method per rule. All
 * arithmetic is on {@code long}; never use {@link Math#round} for hardware math (it rounds ties
 * towards positive infinity, the hardware rounds them away from zero).
 */
public final class Rounding {

    private Rounding() {
    }

    /**
     * Arithmetic right shift by {@code shift} bits, rounding ties away from zero: what NVDLA's
     * CACC truncate, SDP shifters and output converter do. {@code shift <= 0} returns
     * {@code value << -shift}.
     */
    public static long shiftRightRoundHalfAwayFromZero(long value, int shift) {
        if (shift <= 0) {
            return value << -shift;
        }
        if (shift >= 63) {
            return 0;
        }
        long magnitude = Math.abs(value);
        long rounded = (magnitude + (1L << (shift - 1))) >> shift;
        return value < 0 ? -rounded : rounded;
    }

    /** Arithmetic right shift that drops the shifted-out bits (rounds towards negative infinity). */
    public static long shiftRightFloor(long value, int shift) {
        if (shift <= 0) {
            return value << -shift;
        }
        return shift >= 63 ? (value < 0 ? -1 : 0) : value >> shift;
    }

    /** Rounds a real value to the nearest integer, ties away from zero ({@code -28.5 -> -29}). */
    public static long roundHalfAwayFromZero(double value) {
        if (Double.isNaN(value)) {
            throw new ArithmeticException("cannot round NaN");
        }
        double rounded = Math.floor(Math.abs(value) + 0.5);
        return (long) Math.copySign(rounded, value);
    }

    /** Clamps {@code value} to the signed two's-complement range of {@code bits} bits. */
    public static long saturate(long value, int bits) {
        long max = (1L << (bits - 1)) - 1;
        long min = -(1L << (bits - 1));
        return Math.max(min, Math.min(max, value));
    }

    /** True when {@code value} lies outside the signed range of {@code bits} bits. */
    public static boolean saturates(long value, int bits) {
        return value != saturate(value, bits);
    }

    /**
     * The hardware "truncate" block ({@code NV_NVDLA_HLS_shiftrightsu} + saturate): shift right
     * with round-half-away-from-zero, then clamp to {@code outBits}. A shift of {@code inBits} or
     * more yields 0, as the RTL does.
     */
    public static long shiftRightRoundSaturate(long value, int shift, int inBits, int outBits) {
        if (shift >= inBits) {
            return 0;
        }
        return saturate(shiftRightRoundHalfAwayFromZero(value, shift), outBits);
    }

    /** {@code saturate(value << shift, bits)} without overflowing {@code long} on large shifts. */
    public static long shiftLeftSaturate(long value, int shift, int bits) {
        if (value == 0) {
            return 0;
        }
        if (shift >= 62 || (Math.abs(value) >>> (62 - shift)) != 0) {
            return value > 0 ? (1L << (bits - 1)) - 1 : -(1L << (bits - 1));
        }
        return saturate(value << shift, bits);
    }

    /** Two's-complement sign extension of the low {@code bits} bits of {@code value}. */
    public static long signExtend(long value, int bits) {
        return (value << (64 - bits)) >> (64 - bits);
    }
}
