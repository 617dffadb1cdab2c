package io.github.int8cal.calib;

/**
 * pytorch-quantization's histogram MSE rule (docs/calibration.md#mse): candidates are the
 * bin centres {@code (j + 0.5)·w} for {@code j = 128 .. bins-1}; for each, every bin centre is
 * fake-quantized to int8 ({@code clamp(rint(x·127/amax), -127, 127)·amax/127}, ties to even as
 * {@code torch.round}) and the count-weighted squared error summed; the first minimum wins.
 * Computed in double (the reference vectors of docs/calibration.md#test-vectors agree in float32 and float64).
 *
 * <p><b>Result.</b> Bit for bit the answer of the direct evaluation ({@link #directAmax}): every
 * candidate's error summed bin by bin, in bin order, skipping empty bins, first minimum winning.
 * The faster paths below only decide which candidates are worth evaluating that way.
 *
 * <p><b>Speed.</b> Direct evaluation costs O(bins) per candidate, O(bins²) per tensor.
 * <ul>
 * <li>A sparse histogram (at most {@value #SPARSE_BINS} non-empty bins) is evaluated directly over
 * its non-empty bins only: the same operations in the same order, so the same values.</li>
 * <li>Otherwise each candidate costs O(128). Its bins fall into the quantization levels
 * {@code k = rint(x·scale)} ({@code scale = 127/amax}, the direct expression), which are contiguous
 * runs of bins because that expression is monotonic in the bin. Each run's first bin is estimated
 * arithmetically and fixed up by evaluating the direct expression on the neighbouring bins, so every
 * bin's level is exactly the direct one. A level's error {@code Σ c·(x − q)²} over a run starting at
 * bin {@code a} is {@code w²·m2 + 2w·δ·m1 + δ²·m0} with {@code δ = x_a − q} and the run's local
 * moments {@code m_p = Σ c_{a+t}·t^p} from a table (a run spans at most {@code bins/127 + 2} bins);
 * the clipped bins ({@code rint ≥ 127}, {@code q = 127/scale}) use the same form with suffix
 * moments. Local moments avoid the cancellation of global prefix sums.</li>
 * <li>That sum carries rounding noise different from the direct sum's. Both stay within
 * {@code ~1e-13·(E + M)} of the exact value, where {@code E} is the error and
 * {@code M = amax·step·Σc + max·Σ_clipped c·(x − amax + step)} bounds the terms' rounding
 * sensitivity. So every candidate whose fast error minus {@value #RECHECK_TOLERANCE}{@code ·(E + M)}
 * does not exceed the smallest fast error plus its own margin is re-evaluated directly, and the
 * winner is chosen among those direct values: the direct winner is always among them.</li>
 * <li>Level terms are clamped at 0 (they are squares), so a partial sum bounds a candidate's error
 * from below. Every {@value #COARSE_STRIDE}th candidate is evaluated first; afterwards a candidate
 * is abandoned as soon as its partial sum (clipped bins first, then levels from 0 up, where the mass
 * usually is) lies above the recheck window, since it can be neither the winner nor rechecked.</li>
 * </ul>
 */
public final class MseCalibrator {

    static final int FIRST_CANDIDATE = 128;
    /** Histograms with at most this many non-empty bins are evaluated directly on those bins. */
    static final int SPARSE_BINS = 192;
    /** Relative margin (of error + rounding sensitivity) within which candidates are re-evaluated directly. */
    static final double RECHECK_TOLERANCE = 1e-11;
    /** Every this many candidates are evaluated fully first, to find a good bound to abandon against. */
    private static final int COARSE_STRIDE = 32;

    public double amax(AbsHistogram h) {
        double[] counts = h.counts();
        int n = counts.length;
        double[] centres = centres(n, h.binWidth());
        if (n <= FIRST_CANDIDATE + 1) {
            return directAmax(h);
        }
        NonEmptyBins bins = NonEmptyBins.of(centres, counts);
        if (bins.size <= SPARSE_BINS || !allFiniteAndNonNegative(counts)) {
            // Direct over the non-empty bins: the same values as the full direct loop.
            int best = FIRST_CANDIDATE;
            double bestError = Double.POSITIVE_INFINITY;
            for (int i = FIRST_CANDIDATE; i < n; i++) {
                double error = bins.directError(centres[i]);
                if (error < bestError) {
                    bestError = error;
                    best = i;
                }
            }
            return centres[best];
        }
        return centres[searchByLevels(centres, counts, h.binWidth(), bins).winner()];
    }

    /**
     * The outcome of the per-level search.
     *
     * @param winner    the winning candidate bin
     * @param rechecked how many candidates were re-evaluated directly
     */
    record Search(int winner, int rechecked) {
    }

    /** The per-level search whatever the histogram's sparsity (tests); counts must be finite and >= 0. */
    static Search searchByLevels(AbsHistogram h) {
        double[] counts = h.counts();
        double[] centres = centres(counts.length, h.binWidth());
        if (counts.length <= FIRST_CANDIDATE + 1 || !allFiniteAndNonNegative(counts)) {
            throw new IllegalArgumentException("needs more than " + (FIRST_CANDIDATE + 1) + " bins of finite counts >= 0");
        }
        return searchByLevels(centres, counts, h.binWidth(), NonEmptyBins.of(centres, counts));
    }

    private static double[] centres(int n, double w) {
        double[] centres = new double[n];
        for (int j = 0; j < n; j++) {
            centres[j] = (j + 0.5) * w;
        }
        return centres;
    }

    private static boolean allFiniteAndNonNegative(double[] counts) {
        for (double c : counts) {
            if (!(c >= 0) || c == Double.POSITIVE_INFINITY) {
                return false;
            }
        }
        return true;
    }

    /** The winner by per-level sums, confirmed by direct evaluation of the near-ties (class comment). */
    private static Search searchByLevels(double[] centres, double[] counts, double w, NonEmptyBins bins) {
        int n = counts.length;
        int width = (int) Math.ceil((n - 0.5) / 127.0) + 2; // longest run of bins in one level, with margin
        LocalMoments local = new LocalMoments(counts, width);
        // Suffix moments about each bin: t_p[a] = Σ_{j ≥ a} c_j·(j − a)^p (all terms ≥ 0: no cancellation).
        double[] t0 = new double[n + 1];
        double[] t1 = new double[n + 1];
        double[] t2 = new double[n + 1];
        for (int a = n - 1; a >= 0; a--) {
            t0[a] = t0[a + 1] + counts[a];
            t1[a] = t1[a + 1] + t0[a + 1];
            t2[a] = t2[a + 1] + 2 * t1[a + 1] + t0[a + 1];
        }
        double total = t0[0];
        double top = centres[n - 1];
        double[] fast = new double[n];
        double[] margin = new double[n];
        java.util.Arrays.fill(fast, Double.POSITIVE_INFINITY);
        double bestUpper = Double.POSITIVE_INFINITY;
        // A coarse pass first, so that the full pass can abandon hopeless candidates early.
        for (int pass = 0; pass < 2; pass++) {
            for (int i = FIRST_CANDIDATE; i < n; i++) {
                boolean coarse = (i - FIRST_CANDIDATE) % COARSE_STRIDE == 0;
                if (coarse != (pass == 0)) {
                    continue;
                }
                double amax = centres[i];
                double scale = 127.0 / amax;
                double step = amax / 127.0;
                double binsPerLevel = 1 / (w * scale);
                // Clipped bins first: rint(x·scale) >= 127, fake-quantized to 127/scale.
                int clipped = firstBinOfLevel(127, 0, centres, scale, binsPerLevel);
                double error = 0;
                double sensitivity = amax * step * total;
                if (clipped < n) {
                    double delta = centres[clipped] - 127 / scale;
                    error = Math.max(0, w * w * t2[clipped] + 2 * w * delta * t1[clipped] + delta * delta * t0[clipped]);
                    sensitivity += top * (w * t1[clipped] + (Math.abs(delta) + step) * t0[clipped]);
                }
                // Every term is >= 0 (clamped), so a partial sum is a lower bound of the candidate's
                // fast error; once even that cannot reach the recheck window, stop.
                boolean hopeless = false;
                int a = 0;
                for (int k = 1; k < 127 && a < clipped; k++) {
                    int b = firstBinOfLevel(k, a, centres, scale, binsPerLevel);
                    b = Math.min(b, clipped);
                    if (b > a) {
                        error += Math.max(0, local.squaredError(a, b - a, centres, counts, w, (k - 1) * step));
                    }
                    a = b;
                    if ((k & 7) == 0 && (1 - RECHECK_TOLERANCE) * error - RECHECK_TOLERANCE * sensitivity > bestUpper) {
                        hopeless = true;
                        break;
                    }
                }
                if (!hopeless && a < clipped) { // level 126 runs up to the clipped bins
                    error += Math.max(0, local.squaredError(a, clipped - a, centres, counts, w, 126 * step));
                }
                if (hopeless) {
                    continue;
                }
                fast[i] = error;
                margin[i] = RECHECK_TOLERANCE * (error + sensitivity);
                bestUpper = Math.min(bestUpper, error + margin[i]);
            }
        }
        int best = FIRST_CANDIDATE;
        double bestError = Double.POSITIVE_INFINITY;
        int rechecked = 0;
        for (int i = FIRST_CANDIDATE; i < n; i++) {
            if (!(fast[i] - margin[i] <= bestUpper)) {
                continue;
            }
            rechecked++;
            double error = bins.directError(centres[i]);
            if (error < bestError) {
                bestError = error;
                best = i;
            }
        }
        return new Search(best, rechecked);
    }

    /**
     * The first bin at or after {@code from} whose level {@code rint(x·scale)} (the direct
     * expression) is at least {@code k}: an arithmetic estimate, then fixed up on the neighbours.
     */
    private static int firstBinOfLevel(int k, int from, double[] centres, double scale, double binsPerLevel) {
        int n = centres.length;
        int b = (int) Math.ceil((k - 0.5) * binsPerLevel - 0.5);
        b = Math.max(from, Math.min(n, b));
        while (b > from && Math.rint(centres[b - 1] * scale) >= k) {
            b--;
        }
        while (b < n && Math.rint(centres[b] * scale) < k) {
            b++;
        }
        return b;
    }

    /** {@code m_p(a, len) = Σ_{t < len} c_{a+t}·t^p} for every start {@code a} and length up to {@code width}. */
    private static final class LocalMoments {

        private final int width;
        private final double[] m0;
        private final double[] m1;
        private final double[] m2;

        LocalMoments(double[] c, int width) {
            int n = c.length;
            this.width = width;
            m0 = new double[n * width];
            m1 = new double[n * width];
            m2 = new double[n * width];
            for (int a = 0; a < n; a++) {
                double s0 = 0;
                double s1 = 0;
                double s2 = 0;
                int base = a * width;
                for (int t = 0; t < width && a + t < n; t++) {
                    double ct = c[a + t];
                    s0 += ct;
                    s1 += ct * t;
                    s2 += ct * t * t;
                    m0[base + t] = s0;
                    m1[base + t] = s1;
                    m2[base + t] = s2;
                }
            }
        }

        /** {@code Σ_{a ≤ j < a+len} c_j·(x_j − q)²}. */
        double squaredError(int a, int len, double[] centres, double[] c, double w, double q) {
            double delta = centres[a] - q;
            if (len <= width) {
                int at = a * width + len - 1;
                return w * w * m2[at] + 2 * w * delta * m1[at] + delta * delta * m0[at];
            }
            double sum = 0; // cannot happen for runs of a level (at most bins/127 + 1 bins); kept for safety
            for (int j = a; j < a + len; j++) {
                double d = centres[j] - q;
                sum += d * d * c[j];
            }
            return sum;
        }
    }

    /** The non-empty bins in bin order, for direct evaluation that skips empty bins as the rule does. */
    private static final class NonEmptyBins {

        final int size;
        private final double[] centres;
        private final double[] counts;

        private NonEmptyBins(int size, double[] centres, double[] counts) {
            this.size = size;
            this.centres = centres;
            this.counts = counts;
        }

        static NonEmptyBins of(double[] centres, double[] counts) {
            int size = 0;
            double[] x = new double[counts.length];
            double[] c = new double[counts.length];
            for (int j = 0; j < counts.length; j++) {
                if (counts[j] != 0) {
                    x[size] = centres[j];
                    c[size] = counts[j];
                    size++;
                }
            }
            return new NonEmptyBins(size, x, c);
        }

        /** Exactly the direct loop's error for one candidate (same operations, same order). */
        double directError(double amax) {
            double scale = 127.0 / amax;
            double error = 0;
            for (int t = 0; t < size; t++) {
                double q = Math.max(-127, Math.min(127, Math.rint(centres[t] * scale))) / scale;
                double d = q - centres[t];
                error += d * d * counts[t];
            }
            return error;
        }
    }

    /** The rule evaluated literally, O(bins²): the reference the fast paths must reproduce exactly. */
    static double directAmax(AbsHistogram h) {
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
