package io.github.int8cal.calib;

import io.github.int8cal.stats.Histogram;

/**
 * The histogram every calibration method works on: {@code |x|} over {@code [0, max]} in
 * {@link #bins()} uniform bins (2048 for TensorRT's rule), bin {@code j} covering
 * {@code [j·w, (j+1)·w)} with {@code w = max/bins}. Counts are doubles because re-binning may split
 * a source bin; integer input on the identity grid stays exactly integral.
 *
 * <p><b>Re-binning rule</b> ({@link #of(Histogram, double, int)}): a signed histogram is first
 * folded to {@code |x|} bin by bin (a bin straddling 0 is split at 0 in proportion to the lengths
 * of its two parts). Each source bin's mass is then spread over the target bins it overlaps, in
 * proportion to the overlap length, i.e. assuming a uniform density inside each source bin. Source
 * edges that fall within 1e-9 of a target edge (in target-bin units) are snapped to it, so a grid
 * that nests exactly (same grid, or 2, 3, ... source bins per target bin, or a symmetric signed
 * grid) moves whole bins and never leaks rounding crumbs into empty neighbours. Mass above
 * {@code max} (a histogram wider than the observed range) goes into the top bin, mass of a
 * zero-width interval into the bin containing it. The source's total mass is preserved.
 */
public final class AbsHistogram {

    /** TensorRT's histogram size for EntropyCalibration2 (docs/calibration.md#tensorrt-entropy). */
    public static final int TRT_BINS = 2048;

    private static final double SNAP = 1e-9;

    private final double max;
    private final double[] counts;
    private final double clampedMass;

    private AbsHistogram(double max, double[] counts, double clampedMass) {
        this.max = max;
        this.counts = counts;
        this.clampedMass = clampedMass;
    }

    /** A histogram given directly on the grid (tests, and collectors that already use it). */
    public static AbsHistogram ofCounts(double max, double[] counts) {
        if (!(max > 0) || !Double.isFinite(max)) {
            throw new IllegalArgumentException("max must be finite and > 0: " + max);
        }
        return new AbsHistogram(max, counts.clone(), 0);
    }

    /** Re-bins {@code source} onto {@code bins} bins over {@code [0, max]} (rule in the class comment). */
    public static AbsHistogram of(Histogram source, double max, int bins) {
        if (!(max > 0) || !Double.isFinite(max)) {
            throw new IllegalArgumentException("max must be finite and > 0: " + max);
        }
        double[] target = new double[bins];
        int n = source.bins();
        double lo = source.lo();
        double hi = source.hi();
        if (source.abs() && lo == 0 && hi == max && n == bins) {
            for (int j = 0; j < n; j++) {
                target[j] = source.count(j);
            }
            return new AbsHistogram(max, target, 0);
        }
        double clamped = 0;
        for (int k = 0; k < n; k++) {
            long c = source.count(k);
            if (c == 0) {
                continue;
            }
            double a = edge(lo, hi, k, n);
            double b = edge(lo, hi, k + 1, n);
            if (source.abs() || a >= 0) {
                clamped += deposit(target, a, b, c, max);
            } else if (b <= 0) {
                clamped += deposit(target, -b, -a, c, max);
            } else {
                double negative = c * (-a / (b - a));
                clamped += deposit(target, 0, -a, negative, max);
                clamped += deposit(target, 0, b, c - negative, max);
            }
        }
        return new AbsHistogram(max, target, clamped);
    }

    private static double edge(double lo, double hi, int k, int n) {
        return k == n ? hi : lo + (hi - lo) * k / n;
    }

    /** Spreads {@code mass} of |x| in {@code [x, y]} over the target; returns the mass put above max. */
    private static double deposit(double[] t, double x, double y, double mass, double max) {
        int bins = t.length;
        double u = snap(Math.max(0, x) / max * bins);
        double v = snap(Math.max(0, y) / max * bins);
        if (u >= bins) {
            t[bins - 1] += mass;
            return mass;
        }
        double above = 0;
        if (v > bins) {
            above = mass * (v - bins) / (v - u);
            t[bins - 1] += above;
            mass -= above;
            v = bins;
        }
        if (v <= u) {
            t[Math.min((int) Math.floor(u), bins - 1)] += mass;
            return above;
        }
        int first = (int) Math.floor(u);
        int last = Math.min((int) Math.ceil(v) - 1, bins - 1);
        if (first == last) {
            t[first] += mass;
            return above;
        }
        double width = v - u;
        for (int j = first; j <= last; j++) {
            double overlap = Math.min(v, j + 1) - Math.max(u, j);
            t[j] += mass * (overlap / width);
        }
        return above;
    }

    private static double snap(double units) {
        double r = Math.rint(units);
        return Math.abs(units - r) <= SNAP ? r : units;
    }

    public double max() {
        return max;
    }

    public int bins() {
        return counts.length;
    }

    public double binWidth() {
        return max / counts.length;
    }

    public double count(int bin) {
        return counts[bin];
    }

    public double[] counts() {
        return counts.clone();
    }

    /** Mass that lay above {@code max} in the source and was put into the top bin. */
    public double clampedMass() {
        return clampedMass;
    }

    public double total() {
        double s = 0;
        for (double c : counts) {
            s += c;
        }
        return s;
    }

    /**
     * Fraction of the mass above {@code amax} (values that saturate), assuming a uniform density
     * inside the bin that contains {@code amax}.
     */
    public double fractionAbove(double amax) {
        double total = total();
        if (total == 0 || amax >= max) {
            return 0;
        }
        if (amax <= 0) {
            return 1;
        }
        double pos = amax / binWidth();
        int bin = (int) Math.floor(pos);
        double above = counts[bin] * (bin + 1 - pos);
        for (int j = bin + 1; j < counts.length; j++) {
            above += counts[j];
        }
        return above / total;
    }
}
