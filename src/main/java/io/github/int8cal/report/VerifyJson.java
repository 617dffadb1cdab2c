package io.github.int8cal.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.int8cal.verify.LayerMetrics;
import io.github.int8cal.verify.OutputMetrics;
import io.github.int8cal.verify.VerificationReport;
import io.github.int8cal.verify.Violation;

/**
 * The verification results as the Jackson nodes {@link ReportWriter} puts into {@code report.json}:
 * <pre>{@code
 * "verification": {"mode": "samples"|"synthetic", "samples": 4, "seed": 1, "failOnViolation": true,
 *   "passed": true, "layers": [{"name", "tensor", "engine", "elements", "runScale", "sqnrDb", "cosine",
 *   "maxAbsError", "clippedFraction", "caccSaturatedFraction", "hwCaccOutSaturation",
 *   "hwSdpOutSaturation", "maxCalibrationAmax", "maxCalibrationClippedFraction", "note",
 *   ["calibratedScale", "calibratedClippedFraction": only where the output runs at another scale]}, ...],
 *   "outputs": [{"tensor", "classifier", "items", "top1Agreement"}]},
 * "violations": [{"layer", "rule", "value", "limit", "hint"}, ...]
 * }</pre>
 * Numbers that were not computed are {@code null}. Nothing depends on time or locale.
 */
public final class VerifyJson {

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private VerifyJson() {
    }

    /** The {@code "verification"} object (without the violations). */
    public static ObjectNode verification(VerificationReport r) {
        ObjectNode o = F.objectNode();
        o.put("mode", r.mode());
        o.put("samples", r.samples());
        o.put("seed", r.seed());
        o.put("failOnViolation", r.failOnViolation());
        o.put("passed", r.passed());
        ArrayNode layers = o.putArray("layers");
        for (LayerMetrics m : r.layers()) {
            layers.add(layer(m));
        }
        ArrayNode outputs = o.putArray("outputs");
        for (OutputMetrics m : r.outputs()) {
            ObjectNode n = outputs.addObject();
            n.put("tensor", m.tensor());
            n.put("classifier", m.classifier());
            n.put("items", m.items());
            put(n, "top1Agreement", m.top1Agreement());
        }
        return o;
    }

    /** The per-layer fields, to merge into a layer's or tensor's entry of report.json. */
    public static ObjectNode layer(LayerMetrics m) {
        ObjectNode n = F.objectNode();
        n.put("name", m.layer());
        n.put("tensor", m.tensor());
        n.put("engine", m.engine());
        n.put("elements", m.elements());
        n.put("runScale", (double) m.runScale());
        put(n, "sqnrDb", m.sqnrDb());
        put(n, "cosine", m.cosine());
        put(n, "maxAbsError", m.maxAbsError());
        put(n, "clippedFraction", m.clippedFraction());
        put(n, "caccSaturatedFraction", m.caccSaturatedFraction());
        if (m.hwCaccOutSaturation() == null) {
            n.putNull("hwCaccOutSaturation");
        } else {
            n.put("hwCaccOutSaturation", m.hwCaccOutSaturation());
        }
        if (m.hwSdpOutSaturation() == null) {
            n.putNull("hwSdpOutSaturation");
        } else {
            n.put("hwSdpOutSaturation", m.hwSdpOutSaturation());
        }
        put(n, "maxCalibrationAmax", m.maxCalibrationAmax());
        put(n, "maxCalibrationClippedFraction", m.maxCalibrationClippedFraction());
        n.put("note", m.note());
        if (m.calibratedScale() != null) {
            // only for outputs nvdla_compiler's element-wise equalization moved off their calibrated scale
            n.put("calibratedScale", (double) m.calibratedScale());
            put(n, "calibratedClippedFraction", m.calibratedClippedFraction());
        }
        return n;
    }

    /** The top-level {@code "violations"} array. */
    public static ArrayNode violations(VerificationReport r) {
        ArrayNode a = F.arrayNode();
        for (Violation v : r.violations()) {
            ObjectNode n = a.addObject();
            n.put("layer", v.layer());
            n.put("rule", v.rule().id());
            n.put("value", v.value());
            n.put("limit", v.limit());
            n.put("hint", v.hint());
        }
        return a;
    }

    /** Adds {@code "verification"} and {@code "violations"} to a report root. */
    public static void addTo(ObjectNode reportRoot, VerificationReport r) {
        reportRoot.set("verification", verification(r));
        reportRoot.set("violations", violations(r));
    }

    private static void put(ObjectNode n, String key, Double v) {
        if (v == null || v.isNaN() || v.isInfinite()) {
            n.putNull(key);
        } else {
            n.put(key, v.doubleValue());
        }
    }
}
