package io.github.int8cal.calib;

/**
 * pytorch-quantization's histogram MSE rule (calibration-algorithms.md §1.2): candidates are the
 * bin centres {@code (j + 0.5)·w} for {@code j = 128 .. bins-1}; for each, every bin centre is
 * fake-quantized to int8 ({@code clamp(rint(x·127/amax), -127, 127)·amax/127}, ties to even as
 * {@code torch.round}) and the count-weighted squared error summed; the first minimum wins.
 * Computed in double (the reference vectors of §6.2 agree in float32 and float64).
 */
public final class MseCalibrator {

    static final int FIRST_CANDIDATE = 128;

    public double amax(AbsHistogram h) {
        int n = h.bins();
        double w = h.binWidth();
        double[] centres = new double[n];
        double[] counts = h.counts();
        for (int j = 0; j < n; j++) {
            centres[j] = (j + 0.5) * w;
        }
        int start = Math.min(FIRST_CANDIDATE, n - 1);
        double bestError = Double.POSITIVE_INFINITY;
        int best = start;
        for (int i = start; i < n; i++) {
            double amax = centres[i];
            double scale = 127.0 / amax;
            double error = 0;
            for (int j = 0; j < n; j++) {
                if (counts[j] == 0) {
                    continue;
                }
                double q = Math.max(-127, Math.min(127, Math.rint(centres[j] * scale))) / scale;
                double d = q - centres[j];
                error += d * d * counts[j];
            }
            if (error < bestError) {
                bestError = error;
                best = i;
            }
        }
        return centres[best];
    }
}
