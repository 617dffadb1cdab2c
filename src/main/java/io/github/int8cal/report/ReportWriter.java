package io.github.int8cal.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.int8cal.calib.CalibratedTensor;
import io.github.int8cal.verify.LayerMetrics;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Writes {@code report.json}:
 * <pre>{@code
 * {"format": "nvdla-int8-report", "version": 1,
 *  "model": {"path", "format", "name", "weights"},                        (only with a model)
 *  "tensors": [{"name", "min", "max", "amax", "scale", "method", "histogramClippedFraction",
 *               "calibratedScale", "runScale", "overwrittenBy": {"sum", "tensor"} | null}, ...],
 *                                     (the last three only when registers were planned)
 *  "layers": [{"name", "op", "type", "inputs", "outputs", "outputShape",
 *              "inputScales": {"tensor": scale}, "outputScales": {"tensor": scale}}, ...],   (only with a model)
 *  "scaleChanges": [{"tensor", "oldAmax", "newAmax", "reason"}, ...],   (only with a model)
 *  "warnings": ["...", ...],                                               (only with a model)
 *  "registers": {"mode", "weightQuantization", "inputFormat", "hardware", "file", "skipped",
 *                "worstRelativeError", "worstRelativeErrorByMode"},        (only when registers were planned)
 *  "diagnostics": [{"layer", "code", "severity", "message"}, ...],        (only when registers were planned)
 *  "verification": {"mode", "samples", "seed", ...},                      (only when the INT8 verification ran)
 *  "violations": [{"layer", "rule", "value", "limit", "hint"}, ...],      (only when the INT8 verification ran)
 *  "modeComparison": {"reason", "verifiedMode", "overwrittenTensors",
 *    "compiler": {"worstSqnrDb", "worstSqnrLayer", "maxClippedFraction", "maxClippedLayer"}, "precise": {...},
 *    "tensors": [{"tensor", "compiler": {"layer", "sqnrDb", "clippedFraction"} | null, "precise": ...}]}}
 *                                     (only when compiler and precise mode treat an element-wise sum differently)
 * }</pre>
 * After a verification, every layer also has {@code "verifiedStep"} (the INT8 step whose output is
 * one of the layer's outputs, else null) and that step's {@code sqnrDb, cosine, maxAbsError,
 * clippedFraction, caccSaturatedFraction} (null where not computed or not verified).
 * With registers, a layer that is part of a hardware layer also has {@code "hardwareLayer"}; the
 * layer that names it adds {@code "requant"} ({@code factor, multiplier, shift, effective,
 * relativeError}: scalars when every channel shares them, else per-channel arrays),
 * {@code "eltwiseRequant"} (a fused element-wise sum), {@code "worstRelativeErrorByMode"} and
 * {@code "explain"} (the derivation, as {@code -X} logs it).
 * Tensors in table order; the layout is {@link JsonText#report} (the maps of scales and of errors
 * by mode on one line); numbers as Python's {@code repr} (scale and amax as float32 widened to
 * double), so the output is identical across runs and platforms. {@code histogramClippedFraction}
 * is {@code null} without a histogram. Without a model the report has exactly the first three keys.
 */
public final class ReportWriter {

    public static final String FORMAT_ID = "nvdla-int8-report";
    public static final int VERSION = 1;

    /** The verification fields each layer entry gets, in this order (after {@code "verifiedStep"}). */
    static final List<String> LAYER_FIELDS = List.of("sqnrDb", "cosine", "maxAbsError", "clippedFraction",
            "caccSaturatedFraction");

    /** Maps keyed by data (tensor -> scale, mode -> error), written on one line. */
    private static final Set<String> INLINE_MAPS = Set.of("inputScales", "outputScales", "worstRelativeErrorByMode",
            "overwrittenBy");

    private ReportWriter() {
    }

    /** The file's text. */
    public static String render(ReportModel report) {
        return JsonText.report(tree(report), INLINE_MAPS);
    }

    /** The file as a Jackson tree. */
    public static ObjectNode tree(ReportModel report) {
        ObjectNode root = JsonText.object();
        root.put("format", FORMAT_ID);
        root.put("version", VERSION);
        ReportModel.ModelReport model = report.model();
        if (model != null) {
            ObjectNode m = root.putObject("model");
            m.put("path", model.path());
            m.put("format", model.format());
            m.put("name", model.name());
            m.put("weights", model.weights());
        }
        ArrayNode tensors = root.putArray("tensors");
        Map<String, ReportModel.TensorRun> runs = model == null ? Map.of() : model.tensorRuns();
        report.tensors().forEach(t -> tensor(tensors.addObject(), t, runs));
        if (model != null) {
            modelSections(root, model);
        }
        return root;
    }

    /** With runs (registers were planned) also the calibrated scale, the run scale and what overwrote it. */
    private static void tensor(ObjectNode o, CalibratedTensor t, Map<String, ReportModel.TensorRun> runs) {
        o.put("name", t.name());
        o.set("min", JsonText.repr(t.min()));
        o.set("max", JsonText.repr(t.max()));
        o.set("amax", JsonText.repr(t.amax()));
        o.set("scale", JsonText.repr(t.scale()));
        o.put("method", t.method());
        Double clipped = t.histogramClippedFraction();
        o.set("histogramClippedFraction", clipped == null ? o.nullNode() : JsonText.repr(clipped));
        if (!runs.isEmpty()) {
            ReportModel.TensorRun r = runs.get(t.name());
            o.set("calibratedScale", JsonText.repr(t.scale()));
            o.set("runScale", r == null || r.runScale() == null ? o.nullNode() : JsonText.repr(r.runScale()));
            if (r == null || r.overwrittenBySum() == null) {
                o.putNull("overwrittenBy");
            } else {
                o.putObject("overwrittenBy").put("sum", r.overwrittenBySum()).put("tensor", r.overwrittenByTensor());
            }
        }
    }

    private static void modelSections(ObjectNode root, ReportModel.ModelReport model) {
        ArrayNode layers = root.putArray("layers");
        model.layers().forEach(l -> layer(layers.addObject(), l, model.verification()));
        ArrayNode changes = root.putArray("scaleChanges");
        for (ReportModel.ScaleChange c : model.scaleChanges()) {
            ObjectNode o = changes.addObject();
            o.put("tensor", c.tensor());
            o.set("oldAmax", JsonText.repr(c.oldAmax()));
            o.set("newAmax", JsonText.repr(c.newAmax()));
            o.put("reason", c.reason());
        }
        ArrayNode warnings = root.putArray("warnings");
        model.warnings().forEach(warnings::add);
        if (model.registers() != null) {
            registers(root, model.registers());
        }
        if (model.verification() != null) {
            root.set("verification", VerifyJson.verification(model.verification().result()));
            root.set("violations", VerifyJson.violations(model.verification().result()));
        }
        if (model.modeComparison() != null) {
            modeComparison(root.putObject("modeComparison"), model.modeComparison());
        }
    }

    private static void modeComparison(ObjectNode o, ReportModel.ModeComparison c) {
        o.put("reason", c.reason());
        o.put("verifiedMode", c.verifiedMode());
        c.overwrittenTensors().forEach(o.putArray("overwrittenTensors")::add);
        c.byMode().forEach((mode, s) -> {
            ObjectNode m = o.putObject(mode);
            m.set("worstSqnrDb", JsonText.number(s.worstSqnrDb()));
            m.put("worstSqnrLayer", s.worstSqnrLayer());
            m.set("maxClippedFraction", JsonText.number(s.maxClippedFraction()));
            m.put("maxClippedLayer", s.maxClippedLayer());
        });
        ArrayNode tensors = o.putArray("tensors");
        for (ReportModel.TensorComparison t : c.tensors()) {
            ObjectNode row = tensors.addObject();
            row.put("tensor", t.tensor());
            t.byMode().forEach((mode, f) -> {
                if (f == null) {
                    row.putNull(mode);
                } else {
                    ObjectNode x = row.putObject(mode);
                    x.put("layer", f.layer());
                    x.set("sqnrDb", JsonText.number(f.sqnrDb()));
                    x.set("clippedFraction", JsonText.number(f.clippedFraction()));
                }
            });
        }
    }

    private static void layer(ObjectNode o, ReportModel.LayerEntry l, ReportModel.VerificationSection verification) {
        o.put("name", l.name());
        o.put("op", l.op());
        o.put("type", l.type());
        l.inputs().forEach(o.putArray("inputs")::add);
        l.outputs().forEach(o.putArray("outputs")::add);
        l.outputShape().forEach(o.putArray("outputShape")::add);
        scales(o.putObject("inputScales"), l.inputScales());
        scales(o.putObject("outputScales"), l.outputScales());
        ReportModel.LayerPlan p = l.plan();
        if (p != null) {
            o.put("hardwareLayer", p.hardwareLayer());
            if (p.requant() != null) {
                requant(o.putObject("requant"), p.requant());
            }
            if (p.eltwise() != null) {
                requant(o.putObject("eltwiseRequant"), p.eltwise());
            }
            if (!p.worstRelativeErrorByMode().isEmpty()) {
                numbers(o.putObject("worstRelativeErrorByMode"), p.worstRelativeErrorByMode());
            }
            if (p.explain() != null) {
                o.put("explain", p.explain());
            }
        }
        if (verification != null) {
            LayerMetrics m = verification.byLayer().get(l.name());
            ObjectNode metrics = m == null ? null : VerifyJson.layer(m);
            o.put("verifiedStep", m == null ? null : m.layer());
            LAYER_FIELDS.forEach(f -> o.set(f, metrics == null ? o.nullNode() : metrics.get(f)));
        }
    }

    private static void scales(ObjectNode o, Map<String, Float> scales) {
        scales.forEach((tensor, scale) -> o.set(tensor, scale == null ? o.nullNode() : JsonText.repr(scale)));
    }

    private static void numbers(ObjectNode o, Map<String, Double> values) {
        values.forEach((k, v) -> o.set(k, JsonText.number(v)));
    }

    /** Scalars when every channel has the same factor, multiplier and shift; else per-channel arrays. */
    private static void requant(ObjectNode o, ReportModel.Requant r) {
        boolean uniform = r.factor().length > 0 && r.multiplier().length == r.factor().length
                && r.effective().length == r.factor().length && allSame(r.factor()) && allSame(r.multiplier())
                && allSame(r.shift());
        o.put("layer", r.layer());
        o.put("kind", r.kind());
        o.put("mode", r.mode());
        o.put("channels", r.factor().length);
        if (uniform) {
            o.set("factor", JsonText.number(r.factor()[0]));
            o.put("multiplier", r.multiplier()[0]);
            o.put("shift", r.shift()[0]);
            o.set("effective", JsonText.number(r.effective()[0]));
            o.set("relativeError", JsonText.number(r.relativeError()[0]));
        } else {
            numbers(o.putArray("factor"), r.factor());
            ints(o.putArray("multiplier"), r.multiplier());
            ints(o.putArray("shift"), r.shift());
            numbers(o.putArray("effective"), r.effective());
            numbers(o.putArray("relativeError"), r.relativeError());
        }
        ints(o.putArray("mantissaBits"), r.mantissaBits());
        o.set("worstRelativeError", JsonText.number(r.worstRelativeError()));
    }

    private static void registers(ObjectNode root, ReportModel.RegistersReport r) {
        ObjectNode o = root.putObject("registers");
        o.put("mode", r.mode());
        o.put("weightQuantization", r.weightQuantization());
        o.put("inputFormat", r.inputFormat());
        o.put("hardware", r.hardware());
        o.put("file", r.file());
        o.put("skipped", r.skipped());
        o.set("worstRelativeError", JsonText.number(r.worstRelativeError()));
        numbers(o.putObject("worstRelativeErrorByMode"), r.worstRelativeErrorByMode());
        ArrayNode diagnostics = root.putArray("diagnostics");
        for (ReportModel.DiagnosticEntry d : r.diagnostics()) {
            ObjectNode e = diagnostics.addObject();
            e.put("layer", d.layer());
            e.put("code", d.code());
            e.put("severity", d.severity());
            e.put("message", d.message());
        }
    }

    private static void numbers(ArrayNode a, double[] values) {
        for (double v : values) {
            a.add(JsonText.number(v));
        }
    }

    private static void ints(ArrayNode a, int[] values) {
        for (int v : values) {
            a.add(v);
        }
    }

    private static boolean allSame(double[] v) {
        for (double x : v) {
            if (Double.compare(x, v[0]) != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean allSame(int[] v) {
        for (int x : v) {
            if (x != v[0]) {
                return false;
            }
        }
        return true;
    }
}
