package io.github.int8cal.calib;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.int8cal.stats.Histogram;
import org.junit.jupiter.api.Test;

class AbsHistogramTest {

    private static long[] ramp(int n) {
        long[] c = new long[n];
        for (int i = 0; i < n; i++) {
            c[i] = (i * 37L) % 11;
        }
        return c;
    }

    @Test
    void identityGridCopiesCountsExactly() {
        long[] c = ramp(2048);
        AbsHistogram h = AbsHistogram.of(new Histogram(0, 7.3, true, c), 7.3, 2048);
        for (int j = 0; j < 2048; j++) {
            assertEquals(c[j], h.count(j));
        }
    }

    @Test
    void twoSourceBinsPerTargetBinAddUpExactly() {
        long[] c = ramp(4096);
        AbsHistogram h = AbsHistogram.of(new Histogram(0, 3.3, true, c), 3.3, 2048);
        for (int j = 0; j < 2048; j++) {
            assertEquals(c[2 * j] + c[2 * j + 1], h.count(j), "bin " + j);
        }
    }

    @Test
    void symmetricSignedHistogramFoldsBinForBin() {
        // 4096 signed bins over [-0.9, 0.9]: bin 2048+j and bin 2047-j are both |x| bin j
        long[] c = ramp(4096);
        AbsHistogram h = AbsHistogram.of(new Histogram(-0.9, 0.9, false, c), 0.9, 2048);
        for (int j = 0; j < 2048; j++) {
            assertEquals(c[2048 + j] + c[2047 - j], h.count(j), "bin " + j);
        }
    }

    @Test
    void binStraddlingZeroSplitsByLength() {
        // 3 signed bins over [-3, 3]: [-3,-1], [-1,1], [1,3] onto 3 |x| bins over [0, 3]
        AbsHistogram h = AbsHistogram.of(new Histogram(-3, 3, false, new long[] {6, 4, 8}), 3, 3);
        // middle bin: half of 4 from [-1,0] and half from [0,1] -> |x| in [0,1] gets 4;
        // [-3,-1] -> |x| in [1,3] -> 3 into [1,2] and 3 into [2,3]; [1,3] likewise 4 and 4
        assertArrayEquals(new double[] {4, 7, 7}, h.counts());
    }

    @Test
    void coarseHistogramSpreadsUniformly() {
        AbsHistogram h = AbsHistogram.of(new Histogram(0, 1, true, new long[] {8}), 1, 4);
        assertArrayEquals(new double[] {2, 2, 2, 2}, h.counts());
        // a bin over [0.5, 1.5] with max 1: half its mass lies above max and goes to the top bin
        AbsHistogram wide = AbsHistogram.of(new Histogram(0.5, 1.5, true, new long[] {8}), 1, 2);
        assertArrayEquals(new double[] {0, 8}, wide.counts());
        assertEquals(4, wide.clampedMass());
    }

    @Test
    void fractionAboveAmaxInterpolatesInsideTheBin() {
        AbsHistogram h = AbsHistogram.ofCounts(4, new double[] {10, 10, 10, 10});
        assertEquals(0.0, h.fractionAbove(4));
        assertEquals(0.25, h.fractionAbove(3));
        assertEquals(0.375, h.fractionAbove(2.5));
        assertEquals(1.0, h.fractionAbove(0));
    }
}
