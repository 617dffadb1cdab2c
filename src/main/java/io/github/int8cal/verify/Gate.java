package io.github.int8cal.verify;

import io.github.int8cal.calib.CalibratedTensor;
import io.github.int8cal.fixedpoint.WeightScope;
import io.github.int8cal.plan.HardwareLayerPlan;
import io.github.int8cal.plan.NetworkPlan;
import io.github.int8cal.plan.RequantMode;
import io.github.int8cal.plan.ScaleOverwrite;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Evaluates the gate rules on every layer and collects every violation (never stops at the first),
 * each with a hint computed from the calibration and the plan.
 */
public final class Gate {

    private Gate() {
    }

    /**
     * @param calibration calibrated tensors by graph tensor name (may be empty): gives the method
     *                    and amax for the hints
     */
    public static List<Violation> evaluate(List<LayerMetrics> layers, GateRules rules, NetworkPlan plan,
            Map<String, CalibratedTensor> calibration) {
        List<Violation> out = new ArrayList<>();
        for (LayerMetrics m : layers) {
            for (GateRule rule : GateRule.values()) {
                Double limit = rules.limit(rule, m.layer(), m.tensor());
                Double value = rule.value(m);
                if (limit != null && value != null && rule.violates(value, limit)) {
                    CalibratedTensor c = calibration.get(m.tensor());
                    out.add(new Violation(m.layer(), rule, value, limit, rule == GateRule.MAX_SATURATION
                            ? clippingHint(m, c, plan) : accuracyHint(m, plan, c)));
                }
            }
        }
        return out;
    }

    /** "amax 3.2 from entropy clips 3.2% here; max calibration (amax 7.9) would clip 0%". */
    static String clippingHint(LayerMetrics m, CalibratedTensor c, NetworkPlan plan) {
        double runAmax = 127.0 * m.runScale();
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "amax %s", num(runAmax)));
        ScaleOverwrite o = plan == null ? null : plan.overwriteOf(m.tensor()).orElse(null);
        if (o != null && m.calibratedScale() != null) {
            // the compiler's element-wise equalization, not the calibration, set this range
            sb.append(String.format(Locale.ROOT, " (calibrated %s; nvdla_compiler's element-wise equalization: sum"
                    + " '%s' gives '%s' the scale of '%s') clips %s here", num(127.0 * m.calibratedScale()), o.sum(),
                    o.tensor(), o.source(), GateRule.percent(m.clippedFraction())));
            if (m.calibratedClippedFraction() != null) {
                sb.append(String.format(Locale.ROOT, ", %s at its calibrated scale",
                        GateRule.percent(m.calibratedClippedFraction())));
            }
            sb.append("; precise mode keeps each sum input at its calibrated scale, or unifyScales=true gives both"
                    + " sum inputs the larger amax");
            return sb.toString();
        }
        if (c != null) {
            sb.append(" from ").append(c.method());
            if (Math.abs(c.amax() - runAmax) > 1e-6 * Math.max(Math.abs(runAmax), Math.abs(c.amax()))) {
                sb.append(String.format(Locale.ROOT, " (calibrated %s, overwritten by element-wise equalization or"
                        + " scale propagation)", num(c.amax())));
            }
        }
        sb.append(String.format(Locale.ROOT, " clips %s here", GateRule.percent(m.clippedFraction())));
        if (m.maxCalibrationAmax() != null && m.maxCalibrationClippedFraction() != null) {
            sb.append(String.format(Locale.ROOT, "; max calibration (amax %s) would clip %s",
                    num(m.maxCalibrationAmax()), GateRule.percent(m.maxCalibrationClippedFraction())));
        } else {
            sb.append("; raise amax for this tensor (override) or calibrate it with max");
        }
        return sb.toString();
    }

    static String accuracyHint(LayerMetrics m, NetworkPlan plan, CalibratedTensor c) {
        List<String> parts = new ArrayList<>();
        if (!m.note().isEmpty()) {
            parts.add(m.note());
        }
        if (m.clippedFraction() != null && m.clippedFraction() > 0) {
            parts.add(clippingHint(m, c, plan));
        }
        HardwareLayerPlan p = plan.layer(m.layer()).orElse(null);
        if (p != null && p.worstRelativeError() > 1e-3) {
            parts.add(String.format(Locale.ROOT, "worst requantization multiplier error %.2g", p.worstRelativeError()));
        }
        if (p != null && p.requant() != null && p.requant().weights().length > 0) {
            if (plan.options().scope() == WeightScope.PER_KERNEL) {
                parts.add("per-filter weight scales usually gain several dB");
            }
            if (plan.options().mode() == RequantMode.COMPILER) {
                parts.add("precise mode encodes the multipliers more accurately");
            }
        }
        if (parts.isEmpty()) {
            parts.add("rounding error dominates; check the layer's input scale and weight range");
        }
        return String.join("; ", parts);
    }

    /** Four significant digits without trailing zeros ({@code 3.2}, {@code 0.0125}, {@code 1234}). */
    public static String num(double v) {
        if (v == 0 || !Double.isFinite(v)) {
            return v == 0 ? "0" : String.valueOf(v);
        }
        return new java.math.BigDecimal(v).round(new java.math.MathContext(4)).stripTrailingZeros().toPlainString();
    }

    /** One table listing every violation: layer, rule, value, limit, hint. */
    public static String render(List<Violation> violations) {
        if (violations.isEmpty()) {
            return "INT8 verification: no gate violations\n";
        }
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"layer", "rule", "value", "limit", "hint"});
        for (Violation v : violations) {
            rows.add(new String[] {v.layer(), v.rule().id(), v.rule().format(v.value()), v.rule().format(v.limit()),
                v.hint()});
        }
        int[] width = new int[4];
        for (String[] r : rows) {
            for (int i = 0; i < 4; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "INT8 verification: %d gate violation%s%n", violations.size(),
                violations.size() == 1 ? "" : "s").replace(System.lineSeparator(), "\n"));
        for (int r = 0; r < rows.size(); r++) {
            String[] row = rows.get(r);
            for (int i = 0; i < 4; i++) {
                sb.append(pad(row[i], width[i])).append("  ");
            }
            sb.append(row[4]).append('\n');
            if (r == 0) {
                for (int i = 0; i < 4; i++) {
                    sb.append("-".repeat(width[i])).append("  ");
                }
                sb.append("-".repeat(4)).append('\n');
            }
        }
        return sb.toString();
    }

    private static String pad(String s, int w) {
        return s + " ".repeat(w - s.length());
    }
}
