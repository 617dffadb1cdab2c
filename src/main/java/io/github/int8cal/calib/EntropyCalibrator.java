package io.github.int8cal.calib;

/**
 * TensorRT's EntropyCalibration2 rule (docs/calibration.md#tensorrt-entropy): on a 2048-bin histogram of {@code |x|}
 * over {@code [0, max]}, for every candidate {@code i} = number of kept bins, 128..2048 inclusive,
 * <ul>
 * <li>P = the first {@code i} bins, with the mass of the remaining bins folded into bin {@code i-1};</li>
 * <li>Q = the first {@code i} bins of the <em>unfolded</em> histogram merged into 128 levels (bin
 * {@code j} belongs to level {@code floor(j·128/i)}), each level's mass spread evenly over the bins
 * of the level that are non-empty in P;</li>
 * <li>divergence = KL(P‖Q) of the normalised distributions, infinite where Q is 0 and P is not.</li>
 * </ul>
 * The smallest divergence wins, exact ties going to the largest {@code i}, and
 * {@code amax = (i + 0.5)·max/2048}: keeping all bins gives {@code 2048.5/2048·max}, TensorRT's
 * {@code 3c010a14} fingerprint for a tensor saturated at 1.0.
 *
 * <p><b>Speed.</b> A direct evaluation costs O(i) per candidate. Here each candidate costs O(128):
 * with prefix sums of {@code c}, of {@code c·ln c} and of non-empty-bin counts, and with
 * {@code M·ln(M/n)} precomputed for every bin range a level can cover (at most 16 bins, so
 * 2048×16 ranges; one table load per level per candidate), KL = (Σ P ln P − Σ_levels S_k ln(M_k/n_k))/ΣP − ln ΣP + ln ΣQ, where M_k is a
 * level's unfolded mass, S_k its P mass and n_k its non-empty P bins. That form is exact in real
 * arithmetic but carries ~1e-14 of rounding noise, so every candidate within
 * {@value #RECHECK_WINDOW} of the fast minimum is re-evaluated directly (P and Q built bin by bin),
 * and the winner and the tie rule are applied to those direct values.
 */
public final class EntropyCalibrator {

    public static final int BINS = AbsHistogram.TRT_BINS;
    public static final int LEVELS = 128;
    public static final int FIRST_CANDIDATE = 128;

    static final double RECHECK_WINDOW = 1e-9;
    private static final int MAX_LEVEL_WIDTH = BINS / LEVELS;

    /**
     * The outcome of the search.
     *
     * @param keptBins   the winning candidate {@code i}
     * @param amax       {@code (i + 0.5)·max/2048}
     * @param divergence KL(P‖Q) of the winner (nats)
     */
    public record Result(int keptBins, double amax, double divergence) {
    }

    public Result calibrate(AbsHistogram h) {
        if (h.bins() != BINS) {
            throw new IllegalArgumentException("entropy calibration needs a " + BINS + "-bin histogram, got " + h.bins());
        }
        double[] c = h.counts();
        double[] fast = fastDivergences(c);
        double best = Double.POSITIVE_INFINITY;
        for (int i = FIRST_CANDIDATE; i <= BINS; i++) {
            best = Math.min(best, fast[i]);
        }
        int winner = BINS;
        double winnerKl = Double.POSITIVE_INFINITY;
        if (best == Double.POSITIVE_INFINITY) {
            // Every candidate diverges (cannot happen for i = 2048, where P = Q's support); keep all bins.
            winnerKl = directDivergence(c, BINS);
        } else {
            double limit = best + RECHECK_WINDOW;
            boolean found = false;
            for (int i = FIRST_CANDIDATE; i <= BINS; i++) {
                if (fast[i] <= limit) {
                    double d = directDivergence(c, i);
                    if (!found || d <= winnerKl) {
                        winnerKl = d;
                        winner = i;
                        found = true;
                    }
                }
            }
        }
        return new Result(winner, (winner + 0.5) * h.max() / BINS, winnerKl);
    }

    /** KL(P‖Q) for every candidate {@code i} (index i; entries below 128 unused), via the O(128) form. */
    static double[] fastDivergences(double[] c) {
        int n = c.length;
        double[] prefix = new double[n + 1];
        double[] prefixCLnC = new double[n + 1];
        int[] nonEmpty = new int[n + 1];
        for (int j = 0; j < n; j++) {
            prefix[j + 1] = prefix[j] + c[j];
            prefixCLnC[j + 1] = prefixCLnC[j] + (c[j] > 0 ? c[j] * Math.log(c[j]) : 0);
            nonEmpty[j + 1] = nonEmpty[j] + (c[j] != 0 ? 1 : 0);
        }
        double[] suffix = new double[n + 1];
        for (int j = n - 1; j >= 0; j--) {
            suffix[j] = suffix[j + 1] + c[j];
        }
        double total = suffix[0];
        // For a level covering [a, a+len): M·ln(M/n), M its mass, n its non-empty bins (0 if empty).
        // A level below the last one contributes exactly this to Σ P ln Q (there S = M, n = P's count).
        int stride = MAX_LEVEL_WIDTH + 1;
        double[] levelTerm = new double[(n + 1) * stride];
        for (int a = 0; a < n; a++) {
            for (int len = 1; len <= MAX_LEVEL_WIDTH && a + len <= n; len++) {
                int filled = nonEmpty[a + len] - nonEmpty[a];
                double m = prefix[a + len] - prefix[a];
                levelTerm[a * stride + len] = filled > 0 && m > 0 ? m * Math.log(m / filled) : 0;
            }
        }
        double[] lnCount = new double[n + 2];
        for (int k = 1; k < lnCount.length; k++) {
            lnCount[k] = Math.log(k);
        }
        double lnTotal = Math.log(total);
        double[] out = new double[n + 1];
        java.util.Arrays.fill(out, Double.POSITIVE_INFINITY);
        for (int i = FIRST_CANDIDATE; i <= n; i++) {
            double tail = suffix[i];
            double pLast = c[i - 1] + tail;
            double sumQ = prefix[i];
            if (sumQ <= 0) {
                continue;
            }
            double sumPLnP = prefixCLnC[i - 1] + (pLast > 0 ? pLast * Math.log(pLast) : 0);
            double cross = 0;
            int a = 0;
            for (int k = 1; k < LEVELS; k++) {
                int b = (k * i + LEVELS - 1) >>> 7; // ceil(k·i/128), LEVELS = 2^7: first bin of level k
                cross += levelTerm[a * stride + (b - a)];
                a = b;
            }
            // The last level holds bin i-1, whose P mass includes the folded tail.
            boolean infinite = false;
            int unfoldedNonEmpty = nonEmpty[i] - nonEmpty[a];
            int pNonEmpty = nonEmpty[i - 1] - nonEmpty[a] + (pLast > 0 ? 1 : 0);
            if (pNonEmpty > 0) {
                double m = unfoldedNonEmpty == 0 ? 0 : prefix[i] - prefix[a];
                if (m <= 0) {
                    infinite = true; // folded outliers land where Q has no mass
                } else {
                    cross += (m + tail) * (Math.log(m) - lnCount[pNonEmpty]);
                }
            }
            if (!infinite) {
                out[i] = (sumPLnP - cross) / total - lnTotal + Math.log(sumQ);
            }
        }
        return out;
    }

    /** KL(P‖Q) for one candidate, built bin by bin exactly as the rule is stated. */
    static double directDivergence(double[] c, int i) {
        double[] p = new double[i];
        double tail = 0;
        for (int j = c.length - 1; j >= i; j--) {
            tail += c[j];
        }
        System.arraycopy(c, 0, p, 0, i);
        p[i - 1] += tail;
        double[] q = new double[i];
        int start = 0;
        for (int k = 0; k < LEVELS; k++) {
            int end = ((k + 1) * i + LEVELS - 1) / LEVELS;
            double mass = 0;
            int nonEmpty = 0;
            for (int j = start; j < end; j++) {
                mass += c[j];
                if (p[j] != 0) {
                    nonEmpty++;
                }
            }
            if (nonEmpty > 0) {
                double share = mass / nonEmpty;
                for (int j = start; j < end; j++) {
                    if (p[j] != 0) {
                        q[j] = share;
                    }
                }
            }
            start = end;
        }
        double sumP = 0;
        double sumQ = 0;
        for (int j = 0; j < i; j++) {
            sumP += p[j];
            sumQ += q[j];
        }
        double kl = 0;
        for (int j = 0; j < i; j++) {
            if (p[j] == 0) {
                continue;
            }
            if (q[j] == 0) {
                return Double.POSITIVE_INFINITY;
            }
            double pj = p[j] / sumP;
            kl += pj * Math.log(pj / (q[j] / sumQ));
        }
        return kl;
    }
}
