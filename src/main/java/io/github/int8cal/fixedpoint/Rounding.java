package io.github.int8cal.fixedpoint;

/**
 * The integer rounding and saturation rules of the NVDLA datapath, one method per rule
 * (docs/nvdla-arithmetic.md#primitive-operations). All arithmetic is on {@code long}; never use
 * {@link Math#round} for hardware math (it rounds ties towards positive infinity, the hardware
 * rounds them away from zero).
 *
 * <p>Each method's name says what it does and its precondition is checked: a shift is never
 * negative (a "right shift by -3" is a left shift the hardware never does, so it is a caller bug,
 * not a value to pass on), a width is a real bit count. Edge cases the hardware defines are
 * handled and commented where they occur.
 */
public final class Rounding {

    private Rounding() {
    }

    /**
     * {@code value / 2^shift} rounded half away from zero ({@code rnd} in the spec): what NVDLA's CACC
     * truncate, SDP shifters and output converter do. {@code -57 >> 1} gives {@code -29},
     * {@code 57 >> 1} gives {@code 29}, {@code -5 >> 2} gives {@code -1}, {@code -6 >> 2} gives
     * {@code -2}.
     *
     * @param shift {@code >= 0}; {@code 0} returns {@code value}
     * @throws IllegalArgumentException for a negative shift
     */
    public static long shiftRightRoundHalfAwayFromZero(long value, int shift) {
        requireNonNegativeShift(shift);
        if (shift == 0) {
            return value;
        }
        if (shift >= 63) {
            // every datapath value stays below 2^62 in magnitude, so the quotient rounds to 0 (and the
            // RTL returns 0 once the shift reaches its input width); Java's >> would mask the count
            return 0;
        }
        long floor = value >> shift;                 // arithmetic shift: floor(value / 2^shift)
        long remainder = value - (floor << shift);   // 0 <= remainder < 2^shift, no overflow
        long half = 1L << (shift - 1);
        return remainder > half || (remainder == half && value >= 0) ? floor + 1 : floor;
    }

    /** Rounds a real value to the nearest integer, ties away from zero ({@code -28.5 -> -29}). */
    public static long roundHalfAwayFromZero(double value) {
        if (Double.isNaN(value)) {
            throw new ArithmeticException("cannot round NaN");
        }
        double rounded = Math.floor(Math.abs(value) + 0.5);
        return (long) Math.copySign(rounded, value);
    }

    /**
     * Clamps {@code value} to the signed two's-complement range of {@code bits} bits.
     *
     * @param bits in {@code [1, 63]}
     */
    public static long saturate(long value, int bits) {
        requireWidth(bits, 63);
        long max = (1L << (bits - 1)) - 1;
        long min = -(1L << (bits - 1));
        return Math.max(min, Math.min(max, value));
    }

    /** True when {@code value} lies outside the signed range of {@code bits} bits ({@code [1, 63]}). */
    public static boolean saturates(long value, int bits) {
        return value != saturate(value, bits);
    }

    /**
     * The hardware "truncate" block ({@code NV_NVDLA_HLS_shiftrightsu} + saturate): shift right
     * with round-half-away-from-zero, then clamp to {@code outBits}. A shift of {@code inBits} or
     * more yields 0, as the RTL does.
     *
     * @param shift {@code >= 0}
     */
    public static long shiftRightRoundSaturate(long value, int shift, int inBits, int outBits) {
        requireNonNegativeShift(shift);
        if (shift >= inBits) {
            return 0;
        }
        return saturate(shiftRightRoundHalfAwayFromZero(value, shift), outBits);
    }

    /**
     * {@code saturate(value << shift, bits)} without overflowing {@code long} on large shifts.
     *
     * @param shift {@code >= 0}
     */
    public static long shiftLeftSaturate(long value, int shift, int bits) {
        requireNonNegativeShift(shift);
        if (value == 0) {
            return 0;
        }
        // |value| << shift would leave the 62 bits a saturated result can need: clamp directly
        if (shift >= 62 || (Math.abs(value) >>> (62 - shift)) != 0) {
            return value > 0 ? (1L << (bits - 1)) - 1 : -(1L << (bits - 1));
        }
        return saturate(value << shift, bits);
    }

    /**
     * Two's-complement sign extension of the low {@code bits} bits of {@code value}.
     *
     * @param bits in {@code [1, 64]}
     */
    public static long signExtend(long value, int bits) {
        requireWidth(bits, 64);
        return (value << (64 - bits)) >> (64 - bits);
    }

    private static void requireNonNegativeShift(int shift) {
        if (shift < 0) {
            throw new IllegalArgumentException("shift " + shift + " is negative; these are right shifts (or a"
                    + " left shift by a count), never the other way round");
        }
    }

    private static void requireWidth(int bits, int max) {
        if (bits < 1 || bits > max) {
            throw new IllegalArgumentException("width " + bits + " is not in [1, " + max + "]");
        }
    }
}
