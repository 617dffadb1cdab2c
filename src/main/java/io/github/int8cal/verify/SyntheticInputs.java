package io.github.int8cal.verify;

import io.github.int8cal.model.Shape;
import io.github.int8cal.stats.Histogram;
import io.github.int8cal.stats.TensorStatistics;
import java.util.SplittableRandom;

/**
 * Synthetic layer inputs drawn from a tensor's calibration statistics: a bin with probability
 * proportional to its count, then a uniform value inside the bin. Histograms of {@code |x|} get a
 * random sign unless the statistics say the tensor is one-signed (e.g. after a ReLU). Without a
 * histogram, values are uniform in {@code [min, max]}; without statistics, uniform in the run
 * scale's int8 range. Deterministic for a given generator.
 */
final class SyntheticInputs {

    private SyntheticInputs() {
    }

    /** How the values of a tensor were drawn, for the report. */
    static String source(TensorStatistics stats) {
        if (stats == null) {
            return "uniform in the int8 range (no statistics)";
        }
        return stats.hasHistogram() ? "histogram" : "uniform in [min, max]";
    }

    static FloatTensor draw(Shape shape, TensorStatistics stats, float runScale, SplittableRandom random) {
        float[] v = new float[Math.toIntExact(shape.elementCount())];
        if (stats == null || !(stats.max() > stats.min())) {
            double amax = stats == null ? 127.0 * runScale : stats.absMax();
            double lo = stats != null && stats.min() >= 0 ? 0 : -amax;
            double hi = stats != null && stats.max() <= 0 ? 0 : amax;
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (lo + (hi - lo) * random.nextDouble());
            }
            return new FloatTensor(shape, v);
        }
        Histogram h = stats.histogram();
        if (h == null) {
            for (int i = 0; i < v.length; i++) {
                v[i] = (float) (stats.min() + (stats.max() - stats.min()) * random.nextDouble());
            }
            return new FloatTensor(shape, v);
        }
        long[] cumulative = new long[h.bins()];
        long total = 0;
        for (int b = 0; b < h.bins(); b++) {
            total += h.count(b);
            cumulative[b] = total;
        }
        double width = (h.hi() - h.lo()) / h.bins();
        boolean positiveOnly = stats.min() >= 0;
        boolean negativeOnly = stats.max() <= 0;
        for (int i = 0; i < v.length; i++) {
            long pick = random.nextLong(total);
            int lo = 0;
            int hi = cumulative.length - 1;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (cumulative[mid] > pick) {
                    hi = mid;
                } else {
                    lo = mid + 1;
                }
            }
            double x = h.lo() + (lo + random.nextDouble()) * width;
            if (h.abs()) {
                boolean negative = negativeOnly || (!positiveOnly && random.nextBoolean());
                x = negative ? -x : x;
            }
            v[i] = (float) x;
        }
        return new FloatTensor(shape, v);
    }
}
