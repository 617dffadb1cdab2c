package io.github.int8cal.stats;

import java.util.Arrays;

/**
 * A histogram as the statistics file gave it: {@code counts.length} uniform bins over
 * {@code [lo, hi]}. With {@code abs} the histogram is of {@code |x|} (then {@code lo >= 0});
 * without it, of the signed values (calibration folds it to {@code |x|}). Counts are
 * non-negative integers, not all zero (the readers guarantee it).
 */
public record Histogram(double lo, double hi, boolean abs, long[] counts) {

    public Histogram {
        counts = counts.clone();
    }

    @Override
    public long[] counts() {
        return counts.clone();
    }

    public int bins() {
        return counts.length;
    }

    /** One bin's count, without copying the array. */
    public long count(int bin) {
        return counts[bin];
    }

    public long total() {
        long sum = 0;
        for (long c : counts) {
            sum += c;
        }
        return sum;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Histogram h && Double.compare(lo, h.lo) == 0 && Double.compare(hi, h.hi) == 0
                && abs == h.abs && Arrays.equals(counts, h.counts);
    }

    @Override
    public int hashCode() {
        return Double.hashCode(lo) * 31 + Double.hashCode(hi) * 7 + Boolean.hashCode(abs)
                + Arrays.hashCode(counts);
    }

    @Override
    public String toString() {
        return "Histogram[lo=" + lo + ", hi=" + hi + ", abs=" + abs + ", bins=" + counts.length + "]";
    }
}
