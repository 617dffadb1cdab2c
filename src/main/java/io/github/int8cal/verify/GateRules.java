package io.github.int8cal.verify;

import java.util.Collections;
import java.util.Map;
import java.util.TreeMap;

/**
 * The build gate: every layer is checked against every active rule, all violations are collected
 * and reported together; {@code failOnViolation} false turns them into warnings.
 *
 * @param maxSaturation   largest fraction of a layer's outputs clipped to int8 (default 0.01)
 * @param minSqnrDb       smallest SQNR in dB, or null (off, the default)
 * @param minCosine       smallest cosine similarity, or null (off, the default)
 * @param layers          per-layer overrides keyed by layer (step) name or output tensor name
 * @param failOnViolation fail the build on a violation (default) or only warn
 */
public record GateRules(double maxSaturation, Double minSqnrDb, Double minCosine, Map<String, LayerRules> layers,
        boolean failOnViolation) {

    public static final double DEFAULT_MAX_SATURATION = 0.01;
    public static final String MAX_SATURATION = "maxSaturation";
    public static final String MIN_SQNR_DB = "minSqnrDb";
    public static final String MIN_COSINE = "minCosine";

    public GateRules {
        layers = Collections.unmodifiableMap(new TreeMap<>(layers));
    }

    public static GateRules defaults() {
        return new GateRules(DEFAULT_MAX_SATURATION, null, null, Map.of(), true);
    }

    public GateRules withMinSqnrDb(Double v) {
        return new GateRules(maxSaturation, v, minCosine, layers, failOnViolation);
    }

    public GateRules withMinCosine(Double v) {
        return new GateRules(maxSaturation, minSqnrDb, v, layers, failOnViolation);
    }

    public GateRules withMaxSaturation(double v) {
        return new GateRules(v, minSqnrDb, minCosine, layers, failOnViolation);
    }

    public GateRules withLayer(String layer, LayerRules rules) {
        Map<String, LayerRules> m = new TreeMap<>(layers);
        m.put(layer, rules);
        return new GateRules(maxSaturation, minSqnrDb, minCosine, m, failOnViolation);
    }

    public GateRules withFailOnViolation(boolean fail) {
        return new GateRules(maxSaturation, minSqnrDb, minCosine, layers, fail);
    }

    private LayerRules override(String layer, String tensor) {
        LayerRules r = layers.get(layer);
        return r != null ? r : layers.get(tensor);
    }

    /** The limit of {@code rule} for a layer, or null when the rule is off there. */
    public Double limit(String rule, String layer, String tensor) {
        LayerRules o = override(layer, tensor);
        return switch (rule) {
            case MAX_SATURATION -> o != null && o.maxSaturation() != null ? o.maxSaturation() : maxSaturation;
            case MIN_SQNR_DB -> o != null && o.minSqnrDb() != null ? o.minSqnrDb() : minSqnrDb;
            case MIN_COSINE -> o != null && o.minCosine() != null ? o.minCosine() : minCosine;
            default -> throw new IllegalArgumentException("unknown rule " + rule);
        };
    }
}
