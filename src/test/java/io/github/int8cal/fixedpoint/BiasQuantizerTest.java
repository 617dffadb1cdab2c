package io.github.int8cal.fixedpoint;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * Hand-computed from the rules in docs/nvdla-compiler.md#bias-and-bn-mean (Si = Sw = 1 so that b32 = floor(b + 0.5)).
 */
class BiasQuantizerTest {

    private static final float[] ONES = {1f, 1f, 1f};

    @Test
    void compilerRoundsHalfUpAndKeepsSmallBiasesUnshifted() {
        ShiftedInt16 q = BiasQuantizer.compilerBias(new float[] {-2.5f, 2.5f, 100.4f}, 1f, ONES);
        assertArrayEquals(new long[] {-2, 3, 100}, q.values32());
        assertEquals(0, q.shift());
        assertArrayEquals(new int[] {-2, 3, 100}, q.values16());
    }

    @Test
    void compilerShiftsLargeBiasesByFlooring() {
        // max |b| 70001: nbits = ceil(log2 70001) + 1 = 18 -> s = 2; -70001 >> 2 = floor(-17500.25) = -17501
        ShiftedInt16 q = BiasQuantizer.compilerBias(new float[] {70000f, -70001f, 3f}, 1f, ONES);
        assertEquals(2, q.shift());
        assertArrayEquals(new int[] {17500, -17501, 0}, q.values16());
        assertFalse(q.anyWrapped());
    }

    @Test
    void compilerWrapsWhenLargestBiasIsExactPowerOfTwo() {
        // |M| = 2^16: nbits = 16 + 1 = 17 -> s = 1 -> 65536 >> 1 = 32768 wraps to -32768
        // (the int16 wrap in docs/nvdla-compiler.md#bias-and-bn-mean)
        ShiftedInt16 q = BiasQuantizer.compilerBias(new float[] {65536f, 1f, 0f}, 1f, ONES);
        assertEquals(1, q.shift());
        assertEquals(-32768, q.values16()[0]);
        assertTrue(q.wrapped()[0]);
    }

    @Test
    void compilerMeanLoopLowersShiftAndOverflows() {
        // initial s = 2 (70000); mean 1 >> 2 == 0 -> s = 1 -> still 0 -> s = 0; 70000 wraps to 4464
        ShiftedInt16 q = BiasQuantizer.compilerMean(new float[] {70000f, 1f, 0f}, 1f, ONES);
        assertEquals(0, q.shift());
        assertEquals((short) 70000, q.values16()[0]);
        assertEquals(4464, q.values16()[0]);
        assertTrue(q.wrapped()[0]);
    }

    @Test
    void compilerDividesByInputTimesWeightScaleInFloat32() {
        // docs/nvdla-compiler.md#what-was-checked-against-the-real-compiler: LeNet conv2 bias[0] 0.026692284 /
        // 1.6837808e-5 -> 1585
        ShiftedInt16 q = BiasQuantizer.compilerBias(new float[] {0.026692284f}, 0.013724618f,
                new float[] {0.0012268326f});
        assertEquals(1585, q.values32()[0]);
    }

    @Test
    void preciseRoundsHalfAwayAndShiftsWithRounding() {
        ShiftedInt16 q = BiasQuantizer.precise(new double[] {-2.5, 70002, -70002, 65536});
        assertArrayEquals(new long[] {-3, 70002, -70002, 65536}, q.values32());
        // 70002 / 4 = 17500.5 -> 17501; s = 1 would give 35001 > 32767
        assertEquals(2, q.shift());
        assertArrayEquals(new int[] {-1, 17501, -17501, 16384}, q.values16());
        assertFalse(q.anyWrapped());
    }

    @Test
    void preciseChecksFitAfterRounding() {
        // 65535 >> 1 = 32767.5 rounds to 32768: does not fit, so s = 2
        ShiftedInt16 q = BiasQuantizer.precise(new double[] {65535});
        assertEquals(2, q.shift());
        assertEquals(16384, q.values16()[0]);
    }
}
