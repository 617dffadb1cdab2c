package io.github.int8cal.calib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The fast MSE search must pick exactly the candidate of the direct O(bins²) evaluation
 * ({@link MseCalibrator#directAmax}, the original implementation kept as the reference) on every
 * histogram: the comparisons are exact ({@code assertEquals} on doubles). Each family is checked
 * through {@link MseCalibrator#amax} (which may choose the sparse path) and through the per-level
 * search forced on ({@link MseCalibrator#searchByLevels}), so sparse and single-bin shapes exercise
 * the level arithmetic too. All randomness is seeded.
 */
class MseCalibratorTest {

    private static final int BINS = 2048;

    private static void assertSameAsDirect(String what, AbsHistogram h) {
        double direct = MseCalibrator.directAmax(h);
        assertEquals(direct, new MseCalibrator().amax(h), what + ": amax");
        MseCalibrator.Search search = MseCalibrator.searchByLevels(h);
        assertEquals(direct, (search.winner() + 0.5) * h.binWidth(), what + ": per-level search");
        assertTrue(search.rechecked() >= 1, what + ": the winner is always confirmed directly");
    }

    private static double range(SplittableRandom r) {
        return Math.pow(10, -3 + 6 * r.nextDouble()); // max from 1e-3 to 1e3
    }

    @Test
    void denseDecayingHistogramsPickTheDirectCandidate() {
        SplittableRandom r = new SplittableRandom(1);
        for (int t = 0; t < 60; t++) {
            double[] c = new double[BINS];
            double decay = 5 + r.nextInt(1500);
            for (int j = 0; j < BINS; j++) {
                c[j] = r.nextInt(6) == 0 ? 0 : Math.floor(1e6 * Math.exp(-j / decay)) + r.nextInt(3);
            }
            c[BINS - 1] += 1 + r.nextInt(10);
            assertSameAsDirect("dense #" + t, AbsHistogram.ofCounts(range(r), c));
        }
    }

    @Test
    void reluGaussianHeadsWithLongTailsPickTheDirectCandidate() {
        SplittableRandom r = new SplittableRandom(2);
        for (int t = 0; t < 60; t++) {
            double sigma = 0.005 + 0.3 * r.nextDouble();
            double tail = 0.02 + 0.5 * r.nextDouble();
            double tailWeight = r.nextDouble() * 0.1;
            double[] c = new double[BINS];
            for (int j = 0; j < BINS; j++) {
                double x = (j + 0.5) / BINS;
                c[j] = Math.floor(1e5 * (Math.exp(-0.5 * (x / sigma) * (x / sigma)) + tailWeight * Math.exp(-x / tail))
                        + r.nextDouble());
            }
            c[BINS - 1] += r.nextInt(4);
            assertSameAsDirect("relu-gaussian #" + t, AbsHistogram.ofCounts(range(r), c));
        }
    }

    @Test
    void powerLawTailsPickTheDirectCandidate() {
        SplittableRandom r = new SplittableRandom(3);
        for (int t = 0; t < 40; t++) {
            double alpha = 0.5 + 3 * r.nextDouble();
            double[] c = new double[BINS];
            for (int j = 0; j < BINS; j++) {
                c[j] = Math.floor(1e7 * Math.pow(j + 1, -alpha));
            }
            assertSameAsDirect("power law #" + t, AbsHistogram.ofCounts(range(r), c));
        }
    }

    @Test
    void sparseHistogramsPickTheDirectCandidate() {
        SplittableRandom r = new SplittableRandom(4);
        for (int t = 0; t < 60; t++) {
            double[] c = new double[BINS];
            int filled = 1 + r.nextInt(400); // both sides of MseCalibrator.SPARSE_BINS
            for (int f = 0; f < filled; f++) {
                c[r.nextInt(BINS)] += 1 + r.nextInt(1000);
            }
            assertSameAsDirect("sparse #" + t + " (" + filled + " draws)", AbsHistogram.ofCounts(range(r), c));
        }
    }

    @Test
    void allMassInOneBinPicksTheDirectCandidate() {
        SplittableRandom r = new SplittableRandom(5);
        for (int bin = 0; bin < BINS; bin += 1 + r.nextInt(60)) {
            double[] c = new double[BINS];
            c[bin] = 1 + r.nextInt(1_000_000);
            assertSameAsDirect("one bin " + bin, AbsHistogram.ofCounts(range(r), c));
        }
        double[] top = new double[BINS];
        top[BINS - 1] = 7;
        assertSameAsDirect("top bin", AbsHistogram.ofCounts(1.0, top));
    }

    @Test
    void oneDominantBinOverDenseNoisePicksTheDirectCandidate() {
        SplittableRandom r = new SplittableRandom(6);
        for (int t = 0; t < 40; t++) {
            double[] c = new double[BINS];
            for (int j = 0; j < BINS; j++) {
                c[j] = r.nextInt(3);
            }
            c[r.nextInt(BINS)] += 1e9;
            assertSameAsDirect("dominant bin #" + t, AbsHistogram.ofCounts(range(r), c));
        }
    }

    @Test
    void fractionalAndUniformCountsPickTheDirectCandidate() {
        SplittableRandom r = new SplittableRandom(7);
        for (int t = 0; t < 30; t++) {
            double[] c = new double[BINS];
            for (int j = 0; j < BINS; j++) {
                c[j] = r.nextDouble() * Math.exp(-j / (10.0 + t * 50));
            }
            assertSameAsDirect("fractional #" + t, AbsHistogram.ofCounts(range(r), c));
        }
        double[] flat = new double[BINS];
        java.util.Arrays.fill(flat, 3);
        assertSameAsDirect("flat", AbsHistogram.ofCounts(1.0, flat));
    }

    @Test
    void otherBinCountsPickTheDirectCandidate() {
        SplittableRandom r = new SplittableRandom(8);
        for (int t = 0; t < 60; t++) {
            int bins = 130 + r.nextInt(3000);
            double[] c = new double[bins];
            double decay = 2 + r.nextInt(bins);
            for (int j = 0; j < bins; j++) {
                c[j] = r.nextInt(4) == 0 ? 0 : Math.floor(1e4 * Math.exp(-j / decay)) + r.nextInt(2);
            }
            c[bins - 1] += 1;
            assertSameAsDirect(bins + " bins #" + t, AbsHistogram.ofCounts(range(r), c));
        }
    }

    @Test
    void documentedHistogramsThroughEveryPath() {
        // Expected values: docs/calibration.md#test-vectors, PQ MSE column (H_lin, H_exp).
        assertEquals(0.489501953125, MseCalibrator.directAmax(AbsHistogram.ofCounts(1.0, Histograms.hLin())));
        assertEquals(0.267333984375, MseCalibrator.directAmax(AbsHistogram.ofCounts(1.0, Histograms.hExp())));
        assertSameAsDirect("H_lin", AbsHistogram.ofCounts(1.0, Histograms.hLin()));
        assertSameAsDirect("H_exp", AbsHistogram.ofCounts(1.0, Histograms.hExp()));
        assertSameAsDirect("decay120", AbsHistogram.ofCounts(1.0, Histograms.decay120()));
        assertSameAsDirect("bimodal", AbsHistogram.ofCounts(1.0, Histograms.bimodal()));
    }

    @Test
    void tinyHistogramsKeepTheDirectBehaviour() {
        // At most FIRST_CANDIDATE + 1 bins: the direct rule, including its start at the last bin.
        double[] c = new double[100];
        c[40] = 5;
        assertEquals((99 + 0.5) * (1.0 / 100), new MseCalibrator().amax(AbsHistogram.ofCounts(1.0, c)));
        double[] d = new double[129];
        d[3] = 1;
        assertEquals(MseCalibrator.directAmax(AbsHistogram.ofCounts(2.0, d)),
                new MseCalibrator().amax(AbsHistogram.ofCounts(2.0, d)));
    }
}
