package io.github.int8cal.verify;

import io.github.int8cal.problems.CheckedBuilder;
import io.github.int8cal.problems.Problems;
import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The limits of the build gate: every layer is checked against every active {@link GateRule}, all
 * violations are collected and reported together; {@code failOnViolation} false turns them into
 * warnings (the rules' level). Built with {@link #builder()}, which starts from the defaults and
 * checks every value once.
 *
 * @param maxSaturation   largest fraction of a layer's outputs clipped to int8, in [0, 1]
 *                        ({@value #DEFAULT_MAX_SATURATION})
 * @param minSqnrDb       smallest SQNR in dB, or null (off, the default)
 * @param minCosine       smallest cosine similarity in [-1, 1], or null (off, the default)
 * @param layers          per-layer limits keyed by layer (step) name or output tensor name
 * @param failOnViolation fail the build on a violation (the default) or only warn
 */
public record GateRules(double maxSaturation, Double minSqnrDb, Double minCosine, Map<String, LayerRules> layers,
        boolean failOnViolation) {

    public static final double DEFAULT_MAX_SATURATION = 0.01;
    public static final boolean DEFAULT_FAIL_ON_VIOLATION = true;

    public GateRules {
        layers = Collections.unmodifiableMap(new TreeMap<>(layers));
    }

    public static Builder builder() {
        return new Builder();
    }

    /** At most 1% clipped per layer, SQNR and cosine off, fail on a violation. */
    public static GateRules defaults() {
        return builder().build(new Problems());
    }

    /** The limit of {@code rule} for a layer (its own rule first, else the global one), or null when off there. */
    public Double limit(GateRule rule, String layer, String tensor) {
        LayerRules own = layers.get(layer);
        if (own == null) {
            own = layers.get(tensor);
        }
        Double layerLimit = own == null ? null : own.limit(rule);
        return layerLimit != null ? layerLimit : new LayerRules(maxSaturation, minSqnrDb, minCosine).limit(rule);
    }

    /** Collects the limits; {@link #build(Problems)} reports every problem at once. */
    public static final class Builder implements CheckedBuilder<GateRules> {

        private double maxSaturation = DEFAULT_MAX_SATURATION;
        private Double minSqnrDb;
        private Double minCosine;
        private boolean failOnViolation = DEFAULT_FAIL_ON_VIOLATION;
        private final Map<String, LayerRules> layers = new TreeMap<>();
        private final Problems entryProblems = new Problems();
        private int entries;

        private Builder() {
        }

        public Builder maxSaturation(double fraction) {
            maxSaturation = fraction;
            return this;
        }

        /** {@code null}: off. */
        public Builder minSqnrDb(Double db) {
            minSqnrDb = db;
            return this;
        }

        /** {@code null}: off. */
        public Builder minCosine(Double cosine) {
            minCosine = cosine;
            return this;
        }

        public Builder failOnViolation(boolean fail) {
            failOnViolation = fail;
            return this;
        }

        /**
         * The limits of one layer (its name or output tensor, as report.json names it); unset ones keep
         * the global limit. Entries are numbered in the order given for the problems they have.
         */
        public Builder layer(String layer, LayerRules rules) {
            String where = "<layerRules> entry " + ++entries;
            if (layer == null || layer.isBlank()) {
                entryProblems.add(where, "<layer> is required (a layer or its output tensor, as report.json"
                        + " names it)");
                return this;
            }
            where += " (" + layer + ")";
            if (layers.containsKey(layer)) {
                entryProblems.add(where, "the layer has two rules; keep one");
            } else if (rules.maxSaturation() == null && rules.minSqnrDb() == null && rules.minCosine() == null) {
                entryProblems.add(where, "set <maxSaturation>, <minSqnrDb> or <minCosine>");
            } else {
                rules.check(where + ": ", entryProblems);
                layers.put(layer, rules);
            }
            return this;
        }


        @Override
        public GateRules build(Problems problems) {
            new LayerRules(maxSaturation, minSqnrDb, minCosine).check("", problems);
            problems.addAll(entryProblems.list());
            return new GateRules(maxSaturation, minSqnrDb, minCosine, layers, failOnViolation);
        }
    }
}
