package io.github.int8cal.fixedpoint;

/**
 * A requantization factor in NVDLA integer form: {@code multiplier * 2^-shift}, with the
 * multiplier a signed 16-bit register value (SDP output converter scale, X1/X2 MUL operand) and
 * the shift a right shift ("truncate"). The shift may exceed 63 only in intermediate results
 * that are later split over several hardware stages.
 */
public record ScaleShift(int multiplier, int shift) {

    /** The exact value {@code multiplier * 2^-shift} (exact in double for |multiplier| < 2^53). */
    public double value() {
        return Math.scalb((double) multiplier, -shift);
    }

    /** Signed relative error of this encoding against the ideal factor, see {@link #relativeError}. */
    public double relativeErrorTo(double ideal) {
        return relativeError(value(), ideal);
    }

    /** Signed relative error {@code (actual - ideal) / ideal}; for ideal 0 the absolute actual value. */
    public static double relativeError(double actual, double ideal) {
        if (ideal == 0) {
            return actual;
        }
        return (actual - ideal) / ideal;
    }

    /** Number of significant bits of the multiplier (0 for 0): what a channel keeps of its 15. */
    public int mantissaBits() {
        return 32 - Integer.numberOfLeadingZeros(Math.abs(multiplier));
    }

    @Override
    public String toString() {
        return multiplier + " * 2^-" + shift;
    }
}
