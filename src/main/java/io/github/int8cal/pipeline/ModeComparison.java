package io.github.int8cal.pipeline;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.int8cal.model.Graph;
import io.github.int8cal.plan.NetworkPlan;
import io.github.int8cal.plan.RequantMode;
import io.github.int8cal.verify.LayerMetrics;
import io.github.int8cal.verify.VerificationReport;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Compiler against precise mode on the same network, when they differ in more than multiplier
 * rounding: element-wise sums whose inputs have different scales, which nvdla_compiler equalizes by
 * overwriting one input's scale (clipping or coarsening it) and precise mode converts in the SDP.
 * The other mode's plan is verified with the same settings, and the report's
 * {@code "modeComparison"} lists both modes' SQNR and clipping per tensor:
 * <pre>{@code
 * "modeComparison": {"reason", "verifiedMode", "overwrittenTensors",
 *   "compiler": {"worstSqnrDb", "worstSqnrLayer", "maxClippedFraction", "maxClippedLayer"},
 *   "precise": {...},
 *   "tensors": [{"tensor", "compiler": {"layer", "sqnrDb", "clippedFraction"} | null, "precise": {...} | null}]}
 * }</pre>
 */
final class ModeComparison {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private ModeComparison() {
    }

    /** True when compiler mode overwrites some tensor's scale, so the two modes run different scales. */
    static boolean wanted(Map<RequantMode, NetworkPlan> byMode) {
        NetworkPlan compiler = byMode.get(RequantMode.COMPILER);
        return compiler != null && byMode.containsKey(RequantMode.PRECISE) && !compiler.overwrites().isEmpty();
    }

    static ObjectNode section(Graph graph, RequantMode verifiedMode, Map<RequantMode, NetworkPlan> byMode,
            Map<RequantMode, VerificationReport> reports) {
        ObjectNode o = F.objectNode();
        NetworkPlan compiler = byMode.get(RequantMode.COMPILER);
        Set<String> overwritten = new LinkedHashSet<>();
        compiler.overwrites().forEach(w -> overwritten.add(w.tensor()));
        o.put("reason", "element-wise sums with inputs at different scales: compiler mode (nvdla_compiler) overwrites "
                + overwritten.size() + " tensor scale" + (overwritten.size() == 1 ? "" : "s")
                + ", precise mode keeps every input's calibrated scale and converts in the SDP");
        o.put("verifiedMode", RegisterPlanning.label(verifiedMode));
        ArrayNode names = o.putArray("overwrittenTensors");
        overwritten.forEach(names::add);
        Map<RequantMode, Map<String, LayerMetrics>> byTensor = new LinkedHashMap<>();
        Set<String> order = new LinkedHashSet<>();
        for (RequantMode m : RequantMode.values()) {
            Map<String, LayerMetrics> t = new LinkedHashMap<>();
            for (LayerMetrics l : reports.get(m).layers()) {
                if (!l.engine().equals("input") && !l.engine().equals("view")) {
                    t.putIfAbsent(l.tensor(), l);
                }
            }
            byTensor.put(m, t);
            order.addAll(t.keySet());
        }
        for (RequantMode m : RequantMode.values()) {
            o.set(RegisterPlanning.label(m), summary(byTensor.get(m)));
        }
        ArrayNode tensors = o.putArray("tensors");
        for (String t : graph.tensors().keySet()) {
            if (!order.contains(t)) {
                continue;
            }
            ObjectNode row = tensors.addObject();
            row.put("tensor", t);
            for (RequantMode m : RequantMode.values()) {
                LayerMetrics l = byTensor.get(m).get(t);
                if (l == null) {
                    row.putNull(RegisterPlanning.label(m));
                    continue;
                }
                ObjectNode x = row.putObject(RegisterPlanning.label(m));
                x.put("layer", l.layer());
                put(x, "sqnrDb", l.sqnrDb());
                put(x, "clippedFraction", l.clippedFraction());
            }
        }
        return o;
    }

    private static ObjectNode summary(Map<String, LayerMetrics> layers) {
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
        ObjectNode s = F.objectNode();
        put(s, "worstSqnrDb", worstSqnr == null ? null : worstSqnr.sqnrDb());
        s.put("worstSqnrLayer", worstSqnr == null ? null : worstSqnr.layer());
        put(s, "maxClippedFraction", mostClipped == null ? null : mostClipped.clippedFraction());
        s.put("maxClippedLayer", mostClipped == null ? null : mostClipped.layer());
        return s;
    }

    /** The one-line summary for the build log. */
    static String describe(ObjectNode section) {
        StringBuilder sb = new StringBuilder("compiler vs precise mode on this network (" + section.get("reason")
                .asText() + "):");
        for (RequantMode m : RequantMode.values()) {
            ObjectNode s = (ObjectNode) section.get(RegisterPlanning.label(m));
            double clipped = s.get("maxClippedFraction").isNull() ? 0 : s.get("maxClippedFraction").asDouble();
            sb.append(String.format(Locale.ROOT, " %s: worst SQNR %s at '%s', %s;", RegisterPlanning.label(m),
                    s.get("worstSqnrDb").isNull() ? "n/a"
                            : String.format(Locale.ROOT, "%.1f dB", s.get("worstSqnrDb").asDouble()),
                    s.get("worstSqnrLayer").asText(), clipped == 0 ? "nothing clips"
                            : String.format(Locale.ROOT, "most clipping %.2f%% at '%s'", 100 * clipped,
                                    s.get("maxClippedLayer").asText())));
        }
        sb.setLength(sb.length() - 1);
        return sb.append(" (per tensor: report.json modeComparison)").toString();
    }

    private static void put(ObjectNode n, String key, Double v) {
        if (v == null || v.isNaN() || v.isInfinite()) {
            n.putNull(key);
        } else {
            n.put(key, v.doubleValue());
        }
    }
}
