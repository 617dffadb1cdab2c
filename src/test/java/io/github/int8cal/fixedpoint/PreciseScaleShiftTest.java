package io.github.int8cal.fixedpoint;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class PreciseScaleShiftTest {

    @Test
    void roundsMantissaInsteadOfTruncating() {
        // 0.0015 * 2^24 = 25165.824 -> 25166 (the compiler truncates to 25165)
        assertEquals(new ScaleShift(25166, 24), PreciseScaleShift.encode(0.0015));
    }

    @Test
    void encodesFactorsAbove32768WithNegativeShift() {
        assertEquals(new ScaleShift(20000, -1), PreciseScaleShift.encode(40000));
    }

    @Test
    void encodesExactPowersOfTwoExactly() {
        ScaleShift s = PreciseScaleShift.encode(Math.scalb(1.0, -29));
        assertEquals(new ScaleShift(16384, 43), s);
        assertEquals(Math.scalb(1.0, -29), s.value());
    }

    @Test
    void encodesTinyFactorsWithShiftsBeyond63() {
        // 1e-15 = 1.1529 * 2^-50 -> shift 64, 1e-15 * 2^64 = 18446.7 -> 18447
        assertEquals(new ScaleShift(18447, 64), PreciseScaleShift.encode(1e-15));
    }

    @Test
    void mantissaRoundingUpTo32768DropsOneShift() {
        double r = Math.scalb(32767.75, -20);
        assertEquals(new ScaleShift(16384, 19), PreciseScaleShift.encode(r));
    }

    @Test
    void clampsWhenForcedShiftWouldOverflow() {
        assertEquals(new ScaleShift(32767, 15), PreciseScaleShift.encodeWithShift(0.99999, 15));
        assertEquals(new ScaleShift(-32767, 15), PreciseScaleShift.encodeWithShift(-0.99999, 15));
    }

    @Test
    void singleFactorErrorNeverExceeds2ToMinus15() {
        SplittableRandom random = new SplittableRandom(20240601L);
        for (int i = 0; i < 100_000; i++) {
            double r = Math.scalb(1 + random.nextDouble(), random.nextInt(-60, 14)) * (random.nextBoolean() ? 1 : -1);
            ScaleShift s = PreciseScaleShift.encode(r);
            assertTrue(Math.abs(s.multiplier()) >= 16384 && Math.abs(s.multiplier()) <= 32767, s::toString);
            assertTrue(Math.abs(s.relativeErrorTo(r)) <= Math.scalb(1.0, -15), () -> r + " -> " + s);
        }
    }
}
