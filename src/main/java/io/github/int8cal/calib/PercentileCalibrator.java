package io.github.int8cal.calib;

/**
 * pytorch-quantization's percentile rule (docs/calibration.md#percentile): the left edge of the
 * first bin at which the cumulative mass reaches {@code percentile}% of the total,
 * {@code edges[searchsorted(cdf, p/100)]}. The comparison is made on cumulative counts
 * ({@code C[j+1] >= p/100 · total}) rather than on a cumulative sum of normalised counts, which is
 * the same rule without the summation rounding. Default 99.99.
 */
public final class PercentileCalibrator {

    public static final double DEFAULT_PERCENTILE = 99.99;

    private final double percentile;

    public PercentileCalibrator(double percentile) {
        if (!(percentile > 0 && percentile <= 100)) {
            throw new IllegalArgumentException("percentile must be in (0, 100]: " + percentile);
        }
        this.percentile = percentile;
    }

    public double amax(AbsHistogram h) {
        double total = h.total();
        double wanted = percentile / 100 * total;
        double cumulative = 0;
        for (int j = 0; j < h.bins(); j++) {
            cumulative += h.count(j);
            if (cumulative >= wanted) {
                return j * h.binWidth();
            }
        }
        return (h.bins() - 1) * h.binWidth();
    }
}
