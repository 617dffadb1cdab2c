package io.github.int8cal.calib;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Expected candidates come from a direct Python/numpy implementation of the rule in
 * docs/calibration.md#tensorrt-entropy (P with folded tail, Q from the unfolded bins merged into 128
 * levels and spread over P's non-empty bins, KL of the normalised vectors, ties to the largest i),
 * run over all 1921 candidates; H_lin and H_exp are also the doc's own vectors.
 */
class EntropyCalibratorTest {

    private final EntropyCalibrator entropy = new EntropyCalibrator();

    private EntropyCalibrator.Result run(double[] counts, double max) {
        return entropy.calibrate(AbsHistogram.ofCounts(max, counts));
    }

    @Test
    void hLinKeeps1022Bins() {
        EntropyCalibrator.Result r = run(Histograms.hLin(), 1.0);
        assertEquals(1022, r.keptBins());
        assertEquals(0.499267578125, r.amax());
        // numpy: 2.630178765222118e-05
        assertEquals(2.630178765222118e-05, r.divergence(), 1e-13); // summation order differs from numpy
    }

    @Test
    void hExpKeeps640Bins() {
        EntropyCalibrator.Result r = run(Histograms.hExp(), 1.0);
        assertEquals(640, r.keptBins());
        assertEquals(0.312744140625, r.amax());
        assertEquals(0.00024887737294084546, r.divergence(), 1e-13); // summation order differs from numpy
    }

    @Test
    void matchesPythonReferenceOnMoreShapes() {
        assertEquals(1344, run(Histograms.decay120(), 1.0).keptBins());
        assertEquals(1673, run(Histograms.bimodal(), 1.0).keptBins());
    }

    /** A tensor saturated at 1.0 (outlier mass in the top bin) keeps all bins: TRT's 3c010a14 fingerprint. */
    @Test
    void saturatedAtOneGivesTrtFingerprint3c010a14() {
        double[] c = new double[2048];
        for (int j = 0; j < 2048; j++) {
            c[j] = 10;
        }
        c[2047] = 100_000; // sigmoid/softmax outputs pile up at 1.0
        EntropyCalibrator.Result r = run(c, 1.0);
        assertEquals(2048, r.keptBins());
        assertEquals(2048.5 / 2048, r.amax());
        assertEquals("3c010a14", Int8Scale.hex(Int8Scale.fromAmax(r.amax())));
    }

    @Test
    void keepingAllBinsGivesBinCentreBeyondMax() {
        double[] c = new double[2048];
        c[2047] = 1; // the only non-empty bin is the top one: any i < 2048 folds it into an empty Q level
        c[100] = 1;
        EntropyCalibrator.Result r = run(c, 255.0);
        assertEquals(2048, r.keptBins());
        assertEquals(2048.5 / 2048 * 255.0, r.amax());
        assertEquals("4000890a", Int8Scale.hex(Int8Scale.fromAmax(r.amax()))); // ORT #22059 'input' (0..255)
    }

    /**
     * Bins 0 and 3 alone: P equals Q (KL exactly 0) while the two bins sit in different levels,
     * i.e. for every i ≤ 384; ties go to the largest i (numpy reference: 384; first-argmin would give 128).
     */
    @Test
    void exactTiesGoToTheLargestCandidate() {
        double[] c = new double[2048];
        c[0] = 5;
        c[3] = 7;
        EntropyCalibrator.Result r = run(c, 1.0);
        assertEquals(384, r.keptBins());
        assertEquals(0.0, r.divergence());
        double[] single = new double[2048];
        single[0] = 10;
        assertEquals(2048, run(single, 1.0).keptBins());
    }

    /** The O(128)-per-candidate form agrees with the bin-by-bin definition on every candidate. */
    @Test
    void fastDivergencesAgreeWithDirectDefinition() {
        SplittableRandom random = new SplittableRandom(7);
        for (int round = 0; round < 6; round++) {
            double[] c = new double[2048];
            for (int j = 0; j < 2048; j++) {
                // sparse and dense regions, some fractional (re-binned) counts
                c[j] = random.nextInt(4) == 0 ? 0 : Math.floor(1e5 * Math.exp(-j / (50.0 + 200 * round))) + random.nextInt(3);
                if (round % 2 == 1) {
                    c[j] *= 0.37;
                }
            }
            c[2047] += round;
            double[] fast = EntropyCalibrator.fastDivergences(c);
            for (int i = EntropyCalibrator.FIRST_CANDIDATE; i <= 2048; i++) {
                double direct = EntropyCalibrator.directDivergence(c, i);
                if (Double.isInfinite(direct)) {
                    assertEquals(direct, fast[i], "i=" + i);
                } else {
                    assertEquals(direct, fast[i], 1e-12 + 1e-9 * direct, "round " + round + " i=" + i);
                }
            }
        }
    }

    @Test
    void documentedFingerprintsAreBinCentres() {
        // docs/calibration.md#tensorrt-entropy: each is float32((k+0.5)/2048 * max / 127)
        assertEquals("3c00f9f4", Int8Scale.hex(Int8Scale.fromAmax(2047.5 / 2048)));
        assertEquals("3c008912", Int8Scale.hex(Int8Scale.fromAmax(2040.5 / 2048)));
        assertEquals("3c003871", Int8Scale.hex(Int8Scale.fromAmax(2035.5 / 2048)));
        assertTrue(Int8Scale.fromAmax(2048.5 / 2048) == (float) (2048.5 / 2048 / 127));
    }
}
