package io.github.int8cal.fixedpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Expected values: docs/nvdla-compiler.md#factor-to-multiplier-and-shift (results of running the compiler's routine).
 */
class CompilerScaleShiftTest {

    @Test
    void encodesTableValueWithTruncatedMantissa() {
        CompilerScaleShift.Result r = CompilerScaleShift.encode(0.0015f);
        assertEquals(new ScaleShift(25165, 24), r.value());
        assertTrue(r.issues().isEmpty());
        // relative error -3.3e-5, always <= r (truncation)
        assertEquals(-3.3e-5, r.value().relativeErrorTo(0.0015f), 0.05e-5);
    }

    @Test
    void encodesOneAsHalfRangeMantissa() {
        assertEquals(new ScaleShift(16384, 14), CompilerScaleShift.encode(1.0f).value());
    }

    @Test
    void encodesLargeFactorWithShiftZero() {
        assertEquals(new ScaleShift(16384, 0), CompilerScaleShift.encode(16384.5f).value());
    }

    @Test
    void rejectsFactorAtLeast32768() {
        CompilerScaleShift.Result r = CompilerScaleShift.encode(40000f);
        assertTrue(r.rejected());
        assertEquals(Set.of(EncodingIssue.FACTOR_TOO_LARGE), r.issues());
    }

    @Test
    void acceptsShift34ButWarnsTruncateTooHigh() {
        CompilerScaleShift.Result r = CompilerScaleShift.encode(1e-6f);
        assertEquals(new ScaleShift(17179, 34), r.value());
        assertEquals(Set.of(EncodingIssue.SHIFT_ABOVE_31), r.issues());
        assertFalse(r.rejected());
    }

    @Test
    void rejectsFactorsNeedingShift64() {
        CompilerScaleShift.Result r = CompilerScaleShift.encode(1e-15f);
        assertTrue(r.rejected());
        assertTrue(r.issues().contains(EncodingIssue.SHIFT_AT_LEAST_64));
    }

    /** log(x)/log(2) lands just below the exponent for these powers of two: m = 32768. */
    @ParameterizedTest
    @ValueSource(ints = {29, 31, 39, 47})
    void rejectsPowersOfTwoHitByLogRounding(int exponent) {
        CompilerScaleShift.Result r = CompilerScaleShift.encode(Math.scalb(1f, -exponent));
        assertTrue(r.rejected());
        assertTrue(r.issues().contains(EncodingIssue.MULTIPLIER_OVERFLOW), r.issues()::toString);
        assertEquals(exponent + 15, r.value().shift()); // one too large
    }

    @Test
    void encodesOtherPowersOfTwoExactly() {
        // 2^-28: log2 rounds correctly -> (16384, 42), exact
        assertEquals(new ScaleShift(16384, 42), CompilerScaleShift.encode(Math.scalb(1f, -28)).value());
    }

    @Test
    void keepsSignOfNegativeFactors() {
        assertEquals(new ScaleShift(-25165, 24), CompilerScaleShift.encode(-0.0015f).value());
    }

    @Test
    void encodesZeroAsZeroWithShiftOne() {
        assertEquals(new ScaleShift(0, 1), CompilerScaleShift.encode(0f).value());
        assertEquals(new ScaleShift(0, 22), CompilerScaleShift.encode(0f, 22).value());
    }

    @Test
    void sharesShiftOfLargestFactor() {
        // compiler run: r = {0.004, 0.001, 2e-5} -> m = {16777, 4194, 83}, t = 22
        CompilerScaleShift.Shared s = CompilerScaleShift.encodeShared(new float[] {0.004f, 0.001f, 2e-5f});
        assertEquals(22, s.programmedShift());
        assertEquals(0, s.sourceChannel());
        assertEquals(16777, s.channels().get(0).value().multiplier());
        assertEquals(4194, s.channels().get(1).value().multiplier());
        assertEquals(83, s.channels().get(2).value().multiplier());
        assertFalse(s.rejected());
        assertFalse(s.inconsistentShifts());
    }

    @Test
    void largestFactorAbove16384LetsChannelsChooseTheirOwnShift() {
        // pitfall: t = 0 means "choose"; run: r = 3 -> (24576, 13)
        CompilerScaleShift.Shared s = CompilerScaleShift.encodeShared(new float[] {20000f, 3f});
        assertEquals(0, s.programmedShift());
        assertEquals(new ScaleShift(24576, 13), s.channels().get(1).value());
        assertTrue(s.inconsistentShifts());
    }

    @Test
    void signedMaximumOfNegativeFactorsOverflowsLargerChannels() {
        // max_element without abs picks 0.001 (t = 24); -0.004 * 2^24 = 67108.9 > 32767 -> error
        CompilerScaleShift.Shared s = CompilerScaleShift.encodeShared(new float[] {-0.004f, 0.001f});
        assertEquals(1, s.sourceChannel());
        assertEquals(24, s.programmedShift());
        assertTrue(s.channels().get(0).issues().contains(EncodingIssue.MULTIPLIER_OVERFLOW));
        assertTrue(s.rejected());
    }

    @Test
    void warnsWhenSharedShiftLeavesMultiplierBelowTwo() {
        CompilerScaleShift.Shared s = CompilerScaleShift.encodeShared(new float[] {0.5f, 0.5f / 20000f});
        assertEquals(15, s.programmedShift()); // 0.5 -> (16384, 15)
        assertEquals(0, s.channels().get(1).value().multiplier()); // 16384/20000 truncates to 0
        assertEquals(Set.of(EncodingIssue.MULTIPLIER_ZERO), s.channels().get(1).issues());
        CompilerScaleShift.Shared one = CompilerScaleShift.encodeShared(new float[] {0.5f, 0.5f / 10000f});
        assertEquals(1, one.channels().get(1).value().multiplier()); // 1.6384 -> 1
        assertEquals(Set.of(EncodingIssue.MULTIPLIER_BELOW_2), one.channels().get(1).issues());
    }
}
