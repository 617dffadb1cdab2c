package io.github.int8cal.pipeline;

import io.github.int8cal.model.Graph;
import io.github.int8cal.plan.NetworkPlan;
import io.github.int8cal.plan.RequantMode;
import io.github.int8cal.report.ReportModel;
import io.github.int8cal.verify.LayerMetrics;
import io.github.int8cal.verify.VerificationReport;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Compiler against precise mode on the same network, when they differ in more than multiplier
 * rounding: element-wise sums whose inputs have different scales, which nvdla_compiler equalizes by
 * overwriting one input's scale (clipping or coarsening it) and precise mode converts in the SDP.
 * The other mode's plan is verified with the same settings, and the report's
 * {@code "modeComparison"} ({@link ReportModel.ModeComparison}) lists both modes' SQNR and clipping
 * per tensor.
 */
final class ModeComparison {

    private ModeComparison() {
    }

    /** True when compiler mode overwrites some tensor's scale, so the two modes run different scales. */
    static boolean wanted(Map<RequantMode, NetworkPlan> byMode) {
        NetworkPlan compiler = byMode.get(RequantMode.COMPILER);
        return compiler != null && byMode.containsKey(RequantMode.PRECISE) && !compiler.overwrites().isEmpty();
    }

    static ReportModel.ModeComparison section(Graph graph, RequantMode verifiedMode,
            Map<RequantMode, NetworkPlan> byMode, Map<RequantMode, VerificationReport> reports) {
        Set<String> overwritten = new LinkedHashSet<>();
        byMode.get(RequantMode.COMPILER).overwrites().forEach(w -> overwritten.add(w.tensor()));
        String reason = "element-wise sums with inputs at different scales: compiler mode (nvdla_compiler) overwrites "
                + overwritten.size() + " tensor scale" + (overwritten.size() == 1 ? "" : "s")
                + ", precise mode keeps every input's calibrated scale and converts in the SDP";
        Map<RequantMode, Map<String, LayerMetrics>> byTensor = new LinkedHashMap<>();
        Set<String> measured = new LinkedHashSet<>();
        for (RequantMode m : RequantMode.values()) {
            Map<String, LayerMetrics> t = new LinkedHashMap<>();
            for (LayerMetrics l : reports.get(m).layers()) {
                if (!l.engine().equals("input") && !l.engine().equals("view")) {
                    t.putIfAbsent(l.tensor(), l);
                }
            }
            byTensor.put(m, t);
            measured.addAll(t.keySet());
        }
        Map<String, ReportModel.ModeSummary> summaries = new LinkedHashMap<>();
        byTensor.forEach((m, t) -> summaries.put(m.id(), summary(t)));
        List<ReportModel.TensorComparison> tensors = new ArrayList<>();
        for (String t : graph.tensors().keySet()) {
            if (measured.contains(t)) {
                Map<String, ReportModel.StepFigures> row = new LinkedHashMap<>();
                byTensor.forEach((m, metrics) -> {
                    LayerMetrics l = metrics.get(t);
                    row.put(m.id(), l == null ? null
                            : new ReportModel.StepFigures(l.layer(), l.sqnrDb(), l.clippedFraction()));
                });
                tensors.add(new ReportModel.TensorComparison(t, row));
            }
        }
        return new ReportModel.ModeComparison(reason, verifiedMode.id(), List.copyOf(overwritten), summaries, tensors);
    }

    private static ReportModel.ModeSummary summary(Map<String, LayerMetrics> layers) {
        LayerMetrics worstSqnr = null;
        LayerMetrics mostClipped = null;
        for (LayerMetrics l : layers.values()) {
            if (l.sqnrDb() != null && (worstSqnr == null || l.sqnrDb() < worstSqnr.sqnrDb())) {
                worstSqnr = l;
            }
            if (l.clippedFraction() != null && (mostClipped == null
                    || l.clippedFraction() > mostClipped.clippedFraction())) {
                mostClipped = l;
            }
        }
        return new ReportModel.ModeSummary(worstSqnr == null ? null : worstSqnr.sqnrDb(),
                worstSqnr == null ? null : worstSqnr.layer(),
                mostClipped == null ? null : mostClipped.clippedFraction(),
                mostClipped == null ? null : mostClipped.layer());
    }

    /** The one-line summary for the build log. */
    static String describe(ReportModel.ModeComparison c) {
        StringBuilder sb = new StringBuilder("compiler vs precise mode on this network (" + c.reason() + "):");
        c.byMode().forEach((mode, s) -> {
            double clipped = s.maxClippedFraction() == null || !Double.isFinite(s.maxClippedFraction()) ? 0
                    : s.maxClippedFraction();
            sb.append(String.format(Locale.ROOT, " %s: worst SQNR %s at '%s', %s;", mode,
                    s.worstSqnrDb() == null || !Double.isFinite(s.worstSqnrDb()) ? "n/a"
                            : String.format(Locale.ROOT, "%.1f dB", s.worstSqnrDb()),
                    s.worstSqnrLayer(), clipped == 0 ? "nothing clips"
                            : String.format(Locale.ROOT, "most clipping %.2f%% at '%s'", 100 * clipped,
                                    s.maxClippedLayer())));
        });
        sb.setLength(sb.length() - 1);
        return sb.append(" (per tensor: report.json modeComparison)").toString();
    }
}
