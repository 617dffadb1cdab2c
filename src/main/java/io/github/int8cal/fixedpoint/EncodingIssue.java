package io.github.int8cal.fixedpoint;

/**
 * What can go wrong when nvdla_compiler turns a factor into {@code (multiplier, shift)}
 * (docs/nvdla-compiler.md#factor-to-multiplier-and-shift). {@link #rejects()} tells whether the compiler stops with an
 * error.
 */
public enum EncodingIssue {
    /** |factor| >= 32768: "beyond dynamic range of NvS16" (only when the shift is chosen). */
    FACTOR_TOO_LARGE(true),
    /** The chosen or shared shift is 64 or more (factors below about 2^-48). */
    SHIFT_AT_LEAST_64(true),
    /** Multiplier above 32767: exact powers of two hit this through log(x)/log(2) rounding. */
    MULTIPLIER_OVERFLOW(true),
    /** Shift 32..63: the compiler logs "Truncate too high" and continues. */
    SHIFT_ABOVE_31(false),
    /** Multiplier 0 for a non-zero factor: the compiler logs an error and continues. */
    MULTIPLIER_ZERO(false),
    /** Multiplier 1: the compiler warns "too small (threshold: 2)". */
    MULTIPLIER_BELOW_2(false);

    private final boolean rejects;

    EncodingIssue(boolean rejects) {
        this.rejects = rejects;
    }

    public boolean rejects() {
        return rejects;
    }
}
