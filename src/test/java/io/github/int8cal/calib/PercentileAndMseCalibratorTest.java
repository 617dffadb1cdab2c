package io.github.int8cal.calib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

/** Expected values: docs/calibration.md#test-vectors (PQ percentile and MSE columns). */
class PercentileAndMseCalibratorTest {

    private static AbsHistogram grid(double[] c) {
        return AbsHistogram.ofCounts(1.0, c);
    }

    @Test
    void percentileOnHLin() {
        AbsHistogram h = grid(Histograms.hLin());
        assertEquals(0.484375, new PercentileCalibrator(99.9).amax(h));
        assertEquals(0.4951171875, new PercentileCalibrator(99.99).amax(h));
        assertEquals(0.49853515625, new PercentileCalibrator(99.999).amax(h));
    }

    @Test
    void percentileOnHExp() {
        AbsHistogram h = grid(Histograms.hExp());
        assertEquals(0.20947265625, new PercentileCalibrator(99.9).amax(h));
        assertEquals(0.265625, new PercentileCalibrator(99.99).amax(h));
        assertEquals(0.29931640625, new PercentileCalibrator(99.999).amax(h));
    }

    @Test
    void percentileReturnsLeftEdgeOfCrossingBin() {
        double[] c = new double[2048];
        c[10] = 50;
        c[20] = 50;
        // the CDF reaches 50% exactly in bin 10 and 100% in bin 20
        assertEquals(10.0 / 2048, new PercentileCalibrator(50).amax(grid(c)));
        assertEquals(20.0 / 2048, new PercentileCalibrator(50.0001).amax(grid(c)));
        assertEquals(20.0 / 2048, new PercentileCalibrator(100).amax(grid(c)));
    }

    @Test
    void percentileOutOfRangeIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> new PercentileCalibrator(0));
        assertThrows(IllegalArgumentException.class, () -> new PercentileCalibrator(100.5));
    }

    @Test
    void mseOnDocumentedHistograms() {
        assertEquals(0.489501953125, new MseCalibrator().amax(grid(Histograms.hLin())));
        assertEquals(0.267333984375, new MseCalibrator().amax(grid(Histograms.hExp())));
    }
}
