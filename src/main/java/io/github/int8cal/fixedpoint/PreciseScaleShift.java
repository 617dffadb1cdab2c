package io.github.int8cal.fixedpoint;

/**
 * The most accurate {@code (multiplier, shift)} for a factor: the multiplier is rounded half away
 * from zero (not truncated) and uses the full signed 16-bit range, so a single factor keeps 15
 * significant bits with a relative error of at most 2^-15. Shifts are returned unconstrained; the
 * caller spreads shifts beyond one stage's 6-bit field over several hardware stages.
 */
public final class PreciseScaleShift {

    public static final int MAX_MULTIPLIER = 32767;

    private PreciseScaleShift() {
    }

    /**
     * The shift that puts |factor| into [16384, 32768) — 15 significant bits — computed from the
     * exact binary exponent (no logarithm, so powers of two are handled exactly). May be negative
     * for |factor| >= 32768.
     */
    public static int naturalShift(double factor) {
        double magnitude = Math.abs(factor);
        if (magnitude == 0 || !Double.isFinite(magnitude)) {
            throw new IllegalArgumentException("factor must be finite and non-zero, got " + factor);
        }
        return 14 - Math.getExponent(magnitude);
    }

    /** Rounds {@code factor * 2^shift} to a multiplier, clamped to ±32767 (never overflows). */
    public static ScaleShift encodeWithShift(double factor, int shift) {
        long magnitude = Rounding.roundHalfAwayFromZero(Math.scalb(Math.abs(factor), shift));
        int multiplier = (int) Math.min(MAX_MULTIPLIER, magnitude);
        return new ScaleShift(factor < 0 ? -multiplier : multiplier, shift);
    }

    /**
     * Rounded 15-bit encoding of one factor with its natural shift; a mantissa that rounds up to
     * 32768 becomes 16384 with one shift less (same value, exact). 0 encodes as (0, 0).
     */
    public static ScaleShift encode(double factor) {
        if (factor == 0) {
            return new ScaleShift(0, 0);
        }
        int shift = naturalShift(factor);
        long magnitude = Rounding.roundHalfAwayFromZero(Math.scalb(Math.abs(factor), shift));
        if (magnitude > MAX_MULTIPLIER) {
            magnitude >>= 1;
            shift -= 1;
        }
        int multiplier = (int) magnitude;
        return new ScaleShift(factor < 0 ? -multiplier : multiplier, shift);
    }
}
