package io.github.int8cal.verify;

import java.util.Locale;
import java.util.function.Function;

/**
 * One rule of the build gate, as an object: the figure it tests on a layer's metrics, the
 * direction of its limit, and the one way that figure is written (in the log, the JUnit XML and the
 * failure message alike). The limits themselves and the level (fail or warn) are in
 * {@link GateRules}.
 */
public enum GateRule {
    /** Largest fraction of a layer's int8 outputs clipped at -128/127. */
    MAX_SATURATION("maxSaturation", LayerMetrics::clippedFraction, true),
    /** Smallest SQNR (dB) of a layer's output against float32. */
    MIN_SQNR_DB("minSqnrDb", LayerMetrics::sqnrDb, false),
    /** Smallest cosine similarity of a layer's output to float32. */
    MIN_COSINE("minCosine", LayerMetrics::cosine, false);

    private final String id;
    private final Function<LayerMetrics, Double> figure;
    private final boolean upperLimit;

    GateRule(String id, Function<LayerMetrics, Double> figure, boolean upperLimit) {
        this.id = id;
        this.figure = figure;
        this.upperLimit = upperLimit;
    }

    /** The parameter that sets the limit ({@code maxSaturation}, ...), also the rule's name in reports. */
    public String id() {
        return id;
    }

    /** The id, as reports name the rule. */
    @Override
    public String toString() {
        return id;
    }

    /** The figure this rule tests, or {@code null} when the pass could not compute it for the layer. */
    public Double value(LayerMetrics m) {
        return figure.apply(m);
    }

    /** True when {@code value} breaks {@code limit}: above a maximum, below a minimum. */
    public boolean violates(double value, double limit) {
        return upperLimit ? value > limit : value < limit;
    }

    /** {@code " > "} for a maximum, {@code " < "} for a minimum: how a violation compares with its limit. */
    public String comparison() {
        return upperLimit ? " > " : " < ";
    }

    /**
     * The figure as every output writes it: saturation as a percentage ({@code 3.2%}, {@code 0.012%},
     * {@code 0%}), SQNR with one decimal in dB, cosine with four decimals.
     */
    public String format(double v) {
        return switch (this) {
            case MAX_SATURATION -> percent(v);
            case MIN_SQNR_DB -> String.format(Locale.ROOT, "%.1f dB", v);
            case MIN_COSINE -> String.format(Locale.ROOT, "%.4f", v);
        };
    }

    /** A fraction as a percentage: one decimal from 0.1%, else two significant digits; exactly 0 is {@code 0%}. */
    public static String percent(double fraction) {
        double p = 100 * fraction;
        return p == 0 ? "0%" : String.format(Locale.ROOT, p >= 0.1 ? "%.1f%%" : "%.2g%%", p);
    }
}
