package io.github.int8cal.verify;

import io.github.int8cal.problems.Problems;

/**
 * Gate limits of one layer; a null limit keeps the global one (use a permissive value to switch a
 * rule off for the layer).
 */
public record LayerRules(Double maxSaturation, Double minSqnrDb, Double minCosine) {

    /** This layer's limit of {@code rule}, or null for the global one. */
    public Double limit(GateRule rule) {
        return switch (rule) {
            case MAX_SATURATION -> maxSaturation;
            case MIN_SQNR_DB -> minSqnrDb;
            case MIN_COSINE -> minCosine;
        };
    }

    /** Adds a problem for each limit outside its range, each named {@code prefix + "<rule>"}. */
    void check(String prefix, Problems problems) {
        if (maxSaturation != null && !(maxSaturation >= 0 && maxSaturation <= 1)) {
            problems.add(prefix + "<maxSaturation>", maxSaturation + " is not a fraction in [0, 1] (0.01 = 1% of"
                    + " the outputs)");
        }
        if (minSqnrDb != null && !Double.isFinite(minSqnrDb)) {
            problems.add(prefix + "<minSqnrDb>", minSqnrDb + " is not a finite number of dB");
        }
        if (minCosine != null && !(minCosine >= -1 && minCosine <= 1)) {
            problems.add(prefix + "<minCosine>", minCosine + " is not a cosine in [-1, 1]");
        }
    }
}
