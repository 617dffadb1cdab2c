package io.github.int8cal.fixedpoint;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * nvdla_compiler 1.2's factor encoding ({@code scaleAndShiftFromScalarImpl2} and
 * {@code factorizeScalars}, docs/nvdla-compiler.md#factor-to-multiplier-and-shift), reproduced bit for bit:
 * {@code t = 15 - (floor(log(|r|)/log(2)) + 1)} with the double-precision logarithm, and
 * {@code m = trunc(2^t * |r|)} (truncated, not rounded). Defects are reproduced on purpose
 * (2^-29 is rejected, t = 0 from a large shared factor means "choose per channel") and reported as
 * {@link EncodingIssue}s; {@link PreciseScaleShift} is the accurate alternative.
 */
public final class CompilerScaleShift {

    /** {@code SC = NvS16}: largest multiplier the compiler accepts. */
    public static final int MAX_MULTIPLIER = 32767;

    private CompilerScaleShift() {
    }

    /** One encoded factor; {@code value} is meaningless when {@link #rejected()}. */
    public record Result(ScaleShift value, Set<EncodingIssue> issues) {

        public Result {
            issues = Collections.unmodifiableSet(issues.isEmpty()
                    ? EnumSet.noneOf(EncodingIssue.class) : EnumSet.copyOf(issues));
        }

        public boolean rejected() {
            return issues.stream().anyMatch(EncodingIssue::rejects);
        }
    }

    /** Encodes one float32 factor with a shift chosen from its magnitude. */
    public static Result encode(float factor) {
        return encode(factor, 0);
    }

    /**
     * Encodes one float32 factor; {@code forcedShift > 0} imposes the shift, 0 means "choose" (the
     * compiler cannot force a shift of 0).
     */
    public static Result encode(float factor, int forcedShift) {
        if (Float.isNaN(factor) || Float.isInfinite(factor)) {
            throw new IllegalArgumentException("factor must be finite, got " + factor);
        }
        EnumSet<EncodingIssue> issues = EnumSet.noneOf(EncodingIssue.class);
        double magnitude = Math.abs(factor);
        if (magnitude == 0) {
            return new Result(new ScaleShift(0, forcedShift != 0 ? forcedShift : 1), issues);
        }
        int numBits = (int) Math.floor(Math.log(magnitude) / Math.log(2)) + 1;
        if (forcedShift == 0 && numBits > 15) {
            issues.add(EncodingIssue.FACTOR_TOO_LARGE);
            return new Result(new ScaleShift(0, 0), issues);
        }
        int shift = forcedShift != 0 ? forcedShift : 15 - numBits;
        if (shift >= 64) {
            issues.add(EncodingIssue.SHIFT_AT_LEAST_64);
            return new Result(new ScaleShift(0, shift), issues);
        }
        if (shift > 31) {
            issues.add(EncodingIssue.SHIFT_ABOVE_31);
        }
        // std::pow(2, t) * |r| in double, assigned to NvS32: truncation toward zero
        double scaled = Math.pow(2, shift) * magnitude;
        if (scaled >= MAX_MULTIPLIER + 1) {
            issues.add(EncodingIssue.MULTIPLIER_OVERFLOW);
            return new Result(new ScaleShift(0, shift), issues);
        }
        int multiplier = (int) scaled;
        if (multiplier == 0) {
            issues.add(EncodingIssue.MULTIPLIER_ZERO);
        } else if (multiplier < 2) {
            issues.add(EncodingIssue.MULTIPLIER_BELOW_2);
        }
        return new Result(new ScaleShift(factor < 0 ? -multiplier : multiplier, shift), issues);
    }

    /**
     * Per-channel factors sharing one programmed shift, as the compiler's per-channel Bias/BN
     * rescaling does: the shift comes from the <em>signed</em> maximum ({@code std::max_element}
     * without abs), every channel is then encoded with that shift forced. When the shift is 0
     * (largest factor >= 16384) each channel chooses its own, yet only {@link #programmedShift()}
     * reaches the hardware.
     */
    public record Shared(int programmedShift, int sourceChannel, Result source, List<Result> channels) {

        public Shared {
            channels = List.copyOf(channels);
        }

        public boolean rejected() {
            return source.rejected() || channels.stream().anyMatch(Result::rejected);
        }

        /** True when some channel's own shift differs from the one programmed (the t = 0 trap). */
        public boolean inconsistentShifts() {
            return channels.stream().anyMatch(c -> !c.rejected() && c.value().shift() != programmedShift);
        }
    }

    /** Encodes per-channel factors with the compiler's shared-shift rule. */
    public static Shared encodeShared(float[] factors) {
        if (factors.length == 0) {
            throw new IllegalArgumentException("no factors");
        }
        int source = 0;
        for (int k = 1; k < factors.length; k++) {
            if (factors[k] > factors[source]) {
                source = k; // first occurrence of the greatest, like std::max_element
            }
        }
        Result sourceResult = encode(factors[source]);
        int shift = sourceResult.value().shift();
        List<Result> channels = new ArrayList<>(factors.length);
        for (float factor : factors) {
            channels.add(sourceResult.rejected() ? sourceResult : encode(factor, shift));
        }
        return new Shared(shift, source, sourceResult, channels);
    }
}
