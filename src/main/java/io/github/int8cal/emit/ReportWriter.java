package io.github.int8cal.emit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.int8cal.calib.CalibratedTensor;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

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
 *  "modeComparison": {...}}             (only when compiler and precise mode treat an element-wise sum differently)
 * }</pre>
 * After a verification, every layer also has {@code "verifiedStep"} (the INT8 step whose output is
 * one of the layer's outputs, else null) and that step's {@code sqnrDb, cosine, maxAbsError,
 * clippedFraction, caccSaturatedFraction} (null where not computed or not verified).
 * With registers, a layer that is part of a hardware layer also has {@code "hardwareLayer"}; the
 * layer that names it adds {@code "requant"} ({@code factor, multiplier, shift, effective,
 * relativeError}: scalars when every channel shares them, else per-channel arrays),
 * {@code "eltwiseRequant"} (a fused element-wise sum), {@code "worstRelativeErrorByMode"} and
 * {@code "explain"} (the derivation, as {@code -X} logs it).
 * Tensors in table order, 2-space indent, {@code \n} line ends with a final newline, no timestamps;
 * numbers as Python's {@code repr} (scale and amax as float32 widened to double), so the output is
 * identical across runs and platforms. {@code histogramClippedFraction} is {@code null} without a
 * histogram. Without a model the report has exactly the first three keys, as before.
 */
public final class ReportWriter {

    public static final String FORMAT_ID = "nvdla-int8-report";
    public static final int VERSION = 1;

    /**
     * What the report says about the model.
     *
     * @param path    the model file as given
     * @param format  {@code onnx} or {@code caffe}
     * @param weights the weights file as given, or {@code null}
     */
    public record ModelReport(String path, String format, String name, String weights, List<LayerEntry> layers,
            List<ScaleChange> scaleChanges, List<String> warnings, RegistersReport registers,
            VerificationSection verification, Map<String, TensorRun> tensorRuns, ObjectNode modeComparison) {
        public ModelReport {
            layers = List.copyOf(layers);
            scaleChanges = List.copyOf(scaleChanges);
            warnings = List.copyOf(warnings);
            tensorRuns = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(tensorRuns));
        }

        /** A model report without run scales or a mode comparison. */
        public ModelReport(String path, String format, String name, String weights, List<LayerEntry> layers,
                List<ScaleChange> scaleChanges, List<String> warnings, RegistersReport registers,
                VerificationSection verification) {
            this(path, format, name, weights, layers, scaleChanges, warnings, registers, verification, Map.of(), null);
        }

        /** A model report without verification. */
        public ModelReport(String path, String format, String name, String weights, List<LayerEntry> layers,
                List<ScaleChange> scaleChanges, List<String> warnings, RegistersReport registers) {
            this(path, format, name, weights, layers, scaleChanges, warnings, registers, null);
        }

        /** The same report with a verification section. */
        public ModelReport withVerification(VerificationSection v) {
            return new ModelReport(path, format, name, weights, layers, scaleChanges, warnings, registers, v,
                    tensorRuns, modeComparison);
        }

        /** The same report with each tensor's run scale (when registers were planned). */
        public ModelReport withTensorRuns(Map<String, TensorRun> runs) {
            return new ModelReport(path, format, name, weights, layers, scaleChanges, warnings, registers,
                    verification, runs, modeComparison);
        }

        /** The same report with the compiler/precise comparison section. */
        public ModelReport withModeComparison(ObjectNode comparison) {
            return new ModelReport(path, format, name, weights, layers, scaleChanges, warnings, registers,
                    verification, tensorRuns, comparison);
        }

        /** The same report with more warnings after the existing ones. */
        public ModelReport withMoreWarnings(List<String> more) {
            List<String> all = new java.util.ArrayList<>(warnings);
            all.addAll(more);
            return new ModelReport(path, format, name, weights, layers, scaleChanges, all, registers, verification,
                    tensorRuns, modeComparison);
        }

        /** A model report without register planning. */
        public ModelReport(String path, String format, String name, String weights, List<LayerEntry> layers,
                List<ScaleChange> scaleChanges, List<String> warnings) {
            this(path, format, name, weights, layers, scaleChanges, warnings, null);
        }
    }

    /**
     * The scale a tensor really runs at in the planned network.
     *
     * @param runScale            what its producer requantizes to and its readers read it at (null:
     *                            the plan gives it none)
     * @param overwrittenBySum    the element-wise layer whose equalization set it (compiler mode), or null
     * @param overwrittenByTensor the tensor whose scale it took, or null
     */
    public record TensorRun(Float runScale, String overwrittenBySum, String overwrittenByTensor) {
    }

    /**
     * What register planning did.
     *
     * @param file                     {@code registers.json} as packaged, or {@code null} when skipped
     * @param skipped                  why no registers were planned, or {@code null}
     * @param worstRelativeError       largest |relative error| of any multiplier in this run's mode, or {@code null}
     * @param worstRelativeErrorByMode the same figure for each mode (name -> value)
     * @param diagnostics              every finding, network-level first, then per hardware layer
     */
    public record RegistersReport(String mode, String weightQuantization, String inputFormat, String hardware,
            String file, String skipped, Double worstRelativeError, Map<String, Double> worstRelativeErrorByMode,
            List<DiagnosticEntry> diagnostics) {
        public RegistersReport {
            worstRelativeErrorByMode = java.util.Collections.unmodifiableMap(
                    new java.util.LinkedHashMap<>(worstRelativeErrorByMode));
            diagnostics = List.copyOf(diagnostics);
        }
    }

    /**
     * The INT8 verification's results (built by {@code verify.VerifyJson}).
     *
     * @param verification the {@code "verification"} object
     * @param violations   the top-level {@code "violations"} array
     * @param layers       graph layer name -> the fields added to its entry, in the order written
     */
    public record VerificationSection(ObjectNode verification, ArrayNode violations, Map<String, ObjectNode> layers) {
        public VerificationSection {
            layers = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(layers));
        }
    }

    /** One planner finding ({@code code} and {@code severity} as the planner names them). */
    public record DiagnosticEntry(String layer, String code, String severity, String message) {
    }

    /**
     * A layer's place in the hardware plan.
     *
     * @param hardwareLayer the hardware layer this graph layer is part of
     * @param requant       its requantization, only on the layer that names the hardware layer (else null)
     * @param eltwise       the fused element-wise sum's requantization, or null
     * @param worstRelativeErrorByMode the hardware layer's worst |relative error| per mode (only on the naming layer)
     * @param explain       the derivation, only on the naming layer (else null)
     */
    public record LayerPlan(String hardwareLayer, Requant requant, Requant eltwise,
            Map<String, Double> worstRelativeErrorByMode, String explain) {
        public LayerPlan {
            worstRelativeErrorByMode = java.util.Collections.unmodifiableMap(
                    new java.util.LinkedHashMap<>(worstRelativeErrorByMode));
        }
    }

    /**
     * One requantization summary; the arrays have one entry per output channel (empty when the
     * layer could not be programmed).
     */
    public record Requant(String layer, String kind, String mode, double[] factor, int[] multiplier, int[] shift,
            double[] effective, double[] relativeError, int[] mantissaBits, double worstRelativeError) {
    }

    /**
     * One layer: what it computes and the scale of every activation it reads and writes.
     *
     * @param op   our op ({@code CONVOLUTION}, ...); {@code type} is the file's spelling
     * @param inputScales  input tensor to its float32 scale, in input order
     * @param outputScales output tensor to its float32 scale, in output order
     */
    public record LayerEntry(String name, String op, String type, List<String> inputs, List<String> outputs,
            List<Long> outputShape, Map<String, Float> inputScales, Map<String, Float> outputScales, LayerPlan plan) {

        /** A layer without register planning. */
        public LayerEntry(String name, String op, String type, List<String> inputs, List<String> outputs,
                List<Long> outputShape, Map<String, Float> inputScales, Map<String, Float> outputScales) {
            this(name, op, type, inputs, outputs, outputShape, inputScales, outputScales, null);
        }

        public LayerEntry {
            inputs = List.copyOf(inputs);
            outputs = List.copyOf(outputs);
            outputShape = List.copyOf(outputShape);
            inputScales = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(inputScales));
            outputScales = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(outputScales));
        }
    }

    /** A tensor whose amax was raised to the shared amax of the tensors NVDLA runs at one scale. */
    public record ScaleChange(String tensor, double oldAmax, double newAmax, String reason) {
    }

    public String write(List<CalibratedTensor> tensors) {
        return write(tensors, null);
    }

    /** @param model {@code null} for a run without a model */
    public String write(List<CalibratedTensor> tensors, ModelReport model) {
        StringBuilder sb = new StringBuilder(128 + tensors.size() * 256);
        sb.append("{\n");
        sb.append("  \"format\": \"").append(FORMAT_ID).append("\",\n");
        sb.append("  \"version\": ").append(VERSION).append(",\n");
        if (model != null) {
            sb.append("  \"model\": {\n");
            field(sb, 4, "path", PythonJson.quote(model.path()), false);
            field(sb, 4, "format", PythonJson.quote(model.format()), false);
            field(sb, 4, "name", PythonJson.quote(model.name()), false);
            field(sb, 4, "weights", model.weights() == null ? "null" : PythonJson.quote(model.weights()), true);
            sb.append("  },\n");
        }
        sb.append("  \"tensors\": [");
        for (int i = 0; i < tensors.size(); i++) {
            CalibratedTensor t = tensors.get(i);
            sb.append(i == 0 ? "\n" : ",\n");
            sb.append("    {\n");
            field(sb, 6, "name", PythonJson.quote(t.name()), false);
            field(sb, 6, "min", PythonFloatRepr.repr(t.min()), false);
            field(sb, 6, "max", PythonFloatRepr.repr(t.max()), false);
            field(sb, 6, "amax", PythonFloatRepr.repr(t.amax()), false);
            field(sb, 6, "scale", PythonFloatRepr.repr(t.scale()), false);
            field(sb, 6, "method", PythonJson.quote(t.method()), false);
            Double clipped = t.histogramClippedFraction();
            boolean runs = model != null && !model.tensorRuns().isEmpty();
            field(sb, 6, "histogramClippedFraction", clipped == null ? "null" : PythonFloatRepr.repr(clipped), !runs);
            if (runs) {
                TensorRun r = model.tensorRuns().get(t.name());
                field(sb, 6, "calibratedScale", PythonFloatRepr.repr(t.scale()), false);
                field(sb, 6, "runScale", r == null || r.runScale() == null ? "null"
                        : PythonFloatRepr.repr(r.runScale()), false);
                field(sb, 6, "overwrittenBy", r == null || r.overwrittenBySum() == null ? "null"
                        : "{\"sum\": " + PythonJson.quote(r.overwrittenBySum()) + ", \"tensor\": "
                                + PythonJson.quote(r.overwrittenByTensor()) + "}", true);
            }
            sb.append("    }");
        }
        sb.append(tensors.isEmpty() ? "]" : "\n  ]");
        if (model != null) {
            sb.append(",\n  \"layers\": [");
            for (int i = 0; i < model.layers().size(); i++) {
                LayerEntry l = model.layers().get(i);
                sb.append(i == 0 ? "\n" : ",\n");
                sb.append("    {\n");
                int bodyStart = sb.length();
                field(sb, 6, "name", PythonJson.quote(l.name()), false);
                field(sb, 6, "op", PythonJson.quote(l.op()), false);
                field(sb, 6, "type", PythonJson.quote(l.type()), false);
                field(sb, 6, "inputs", strings(l.inputs()), false);
                field(sb, 6, "outputs", strings(l.outputs()), false);
                field(sb, 6, "outputShape", "[" + String.join(", ", l.outputShape().stream().map(String::valueOf)
                        .toList()) + "]", false);
                field(sb, 6, "inputScales", scales(l.inputScales()), false);
                field(sb, 6, "outputScales", scales(l.outputScales()), l.plan() == null);
                if (l.plan() != null) {
                    layerPlan(sb, l.plan());
                }
                ObjectNode metrics = model.verification() == null ? null : model.verification().layers().get(l.name());
                if (metrics != null && metrics.size() > 0 && sb.length() > bodyStart) {
                    // the body's last field ended the entry: continue it with the metrics
                    sb.setLength(sb.length() - 1);
                    sb.append(",\n");
                    fields(sb, 6, metrics);
                }
                sb.append("    }");
            }
            sb.append(model.layers().isEmpty() ? "]" : "\n  ]");
            sb.append(",\n  \"scaleChanges\": [");
            for (int i = 0; i < model.scaleChanges().size(); i++) {
                ScaleChange c = model.scaleChanges().get(i);
                sb.append(i == 0 ? "\n" : ",\n");
                sb.append("    {\n");
                field(sb, 6, "tensor", PythonJson.quote(c.tensor()), false);
                field(sb, 6, "oldAmax", PythonFloatRepr.repr(c.oldAmax()), false);
                field(sb, 6, "newAmax", PythonFloatRepr.repr(c.newAmax()), false);
                field(sb, 6, "reason", PythonJson.quote(c.reason()), true);
                sb.append("    }");
            }
            sb.append(model.scaleChanges().isEmpty() ? "]" : "\n  ]");
            sb.append(",\n  \"warnings\": [");
            for (int i = 0; i < model.warnings().size(); i++) {
                sb.append(i == 0 ? "\n    " : ",\n    ").append(PythonJson.quote(model.warnings().get(i)));
            }
            sb.append(model.warnings().isEmpty() ? "]" : "\n  ]");
            if (model.registers() != null) {
                registers(sb, model.registers());
            }
            if (model.verification() != null) {
                sb.append(",\n  \"verification\": ");
                node(sb, 2, model.verification().verification());
                sb.append(",\n  \"violations\": ");
                node(sb, 2, model.verification().violations());
            }
            if (model.modeComparison() != null) {
                sb.append(",\n  \"modeComparison\": ");
                node(sb, 2, model.modeComparison());
            }
        }
        return sb.append("\n}\n").toString();
    }

    private static void registers(StringBuilder sb, RegistersReport r) {
        sb.append(",\n  \"registers\": {\n");
        field(sb, 4, "mode", PythonJson.quote(r.mode()), false);
        field(sb, 4, "weightQuantization", PythonJson.quote(r.weightQuantization()), false);
        field(sb, 4, "inputFormat", PythonJson.quote(r.inputFormat()), false);
        field(sb, 4, "hardware", PythonJson.quote(r.hardware()), false);
        field(sb, 4, "file", r.file() == null ? "null" : PythonJson.quote(r.file()), false);
        field(sb, 4, "skipped", r.skipped() == null ? "null" : PythonJson.quote(r.skipped()), false);
        field(sb, 4, "worstRelativeError", r.worstRelativeError() == null ? "null"
                : number(r.worstRelativeError()), false);
        field(sb, 4, "worstRelativeErrorByMode", numbers(r.worstRelativeErrorByMode()), true);
        sb.append("  },\n  \"diagnostics\": [");
        for (int i = 0; i < r.diagnostics().size(); i++) {
            DiagnosticEntry d = r.diagnostics().get(i);
            sb.append(i == 0 ? "\n" : ",\n");
            sb.append("    {\n");
            field(sb, 6, "layer", PythonJson.quote(d.layer()), false);
            field(sb, 6, "code", PythonJson.quote(d.code()), false);
            field(sb, 6, "severity", PythonJson.quote(d.severity()), false);
            field(sb, 6, "message", PythonJson.quote(d.message()), true);
            sb.append("    }");
        }
        sb.append(r.diagnostics().isEmpty() ? "]" : "\n  ]");
    }

    private static void layerPlan(StringBuilder sb, LayerPlan p) {
        boolean more = p.requant() != null || p.eltwise() != null || !p.worstRelativeErrorByMode().isEmpty()
                || p.explain() != null;
        field(sb, 6, "hardwareLayer", PythonJson.quote(p.hardwareLayer()), !more);
        if (p.requant() != null) {
            sb.append("      \"requant\": ");
            requant(sb, p.requant());
            sb.append(p.eltwise() != null || !p.worstRelativeErrorByMode().isEmpty() || p.explain() != null
                    ? ",\n" : "\n");
        }
        if (p.eltwise() != null) {
            sb.append("      \"eltwiseRequant\": ");
            requant(sb, p.eltwise());
            sb.append(!p.worstRelativeErrorByMode().isEmpty() || p.explain() != null ? ",\n" : "\n");
        }
        if (!p.worstRelativeErrorByMode().isEmpty()) {
            field(sb, 6, "worstRelativeErrorByMode", numbers(p.worstRelativeErrorByMode()), p.explain() == null);
        }
        if (p.explain() != null) {
            field(sb, 6, "explain", PythonJson.quote(p.explain()), true);
        }
    }

    /** Scalars when every channel has the same factor, multiplier and shift; else per-channel arrays. */
    private static void requant(StringBuilder sb, Requant r) {
        boolean uniform = r.factor().length > 0 && r.multiplier().length == r.factor().length
                && r.effective().length == r.factor().length && allSame(r.factor()) && allSame(r.multiplier())
                && allSame(r.shift());
        sb.append("{\n");
        field(sb, 8, "layer", PythonJson.quote(r.layer()), false);
        field(sb, 8, "kind", PythonJson.quote(r.kind()), false);
        field(sb, 8, "mode", PythonJson.quote(r.mode()), false);
        field(sb, 8, "channels", String.valueOf(r.factor().length), false);
        if (uniform) {
            field(sb, 8, "factor", number(r.factor()[0]), false);
            field(sb, 8, "multiplier", String.valueOf(r.multiplier()[0]), false);
            field(sb, 8, "shift", String.valueOf(r.shift()[0]), false);
            field(sb, 8, "effective", number(r.effective()[0]), false);
            field(sb, 8, "relativeError", number(r.relativeError()[0]), false);
        } else {
            field(sb, 8, "factor", numbers(r.factor()), false);
            field(sb, 8, "multiplier", ints(r.multiplier()), false);
            field(sb, 8, "shift", ints(r.shift()), false);
            field(sb, 8, "effective", numbers(r.effective()), false);
            field(sb, 8, "relativeError", numbers(r.relativeError()), false);
        }
        field(sb, 8, "mantissaBits", ints(r.mantissaBits()), false);
        field(sb, 8, "worstRelativeError", number(r.worstRelativeError()), true);
        sb.append("      }");
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

    /** JSON has no NaN or infinity: those become null. */
    private static String number(double v) {
        return Double.isFinite(v) ? PythonFloatRepr.repr(v) : "null";
    }

    private static String numbers(double[] values) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < values.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(number(values[i]));
        }
        return sb.append(']').toString();
    }

    private static String numbers(Map<String, Double> values) {
        StringBuilder sb = new StringBuilder("{");
        values.forEach((k, v) -> sb.append(sb.length() > 1 ? ", " : "").append(PythonJson.quote(k)).append(": ")
                .append(v == null ? "null" : number(v)));
        return sb.append('}').toString();
    }

    private static String ints(int[] values) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < values.length; i++) {
            sb.append(i == 0 ? "" : ", ").append(values[i]);
        }
        return sb.append(']').toString();
    }

    private static String strings(List<String> values) {
        return "[" + String.join(", ", values.stream().map(PythonJson::quote).toList()) + "]";
    }

    private static String scales(Map<String, Float> scales) {
        StringBuilder sb = new StringBuilder("{");
        scales.forEach((tensor, scale) -> sb.append(sb.length() > 1 ? ", " : "").append(PythonJson.quote(tensor))
                .append(": ").append(scale == null ? "null" : PythonFloatRepr.repr(scale)));
        return sb.append('}').toString();
    }

    /** The fields of {@code o}, one a line at {@code indent}, the last without a comma. */
    private static void fields(StringBuilder sb, int indent, ObjectNode o) {
        Iterator<Map.Entry<String, JsonNode>> it = o.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            sb.append(" ".repeat(indent)).append(PythonJson.quote(e.getKey())).append(": ");
            node(sb, indent, e.getValue());
            sb.append(it.hasNext() ? ",\n" : "\n");
        }
    }

    /**
     * A JSON value in this file's style: objects one field a line, arrays of scalars on one line,
     * arrays of objects one element a line; floats as Python's repr, NaN and infinities as null.
     */
    private static void node(StringBuilder sb, int indent, JsonNode n) {
        if (n == null || n.isNull()) {
            sb.append("null");
        } else if (n.isObject()) {
            if (n.isEmpty()) {
                sb.append("{}");
                return;
            }
            sb.append("{\n");
            fields(sb, indent + 2, (ObjectNode) n);
            sb.append(" ".repeat(indent)).append('}');
        } else if (n.isArray()) {
            boolean scalars = true;
            for (JsonNode e : n) {
                scalars &= e.isValueNode();
            }
            if (n.isEmpty() || scalars) {
                sb.append('[');
                for (int i = 0; i < n.size(); i++) {
                    sb.append(i == 0 ? "" : ", ");
                    node(sb, indent, n.get(i));
                }
                sb.append(']');
                return;
            }
            sb.append("[\n");
            for (int i = 0; i < n.size(); i++) {
                sb.append(" ".repeat(indent + 2));
                node(sb, indent + 2, n.get(i));
                sb.append(i + 1 < n.size() ? ",\n" : "\n");
            }
            sb.append(" ".repeat(indent)).append(']');
        } else if (n.isTextual()) {
            sb.append(PythonJson.quote(n.textValue()));
        } else if (n.isBoolean()) {
            sb.append(n.booleanValue());
        } else if (n.isIntegralNumber()) {
            sb.append(n.bigIntegerValue());
        } else if (n.isNumber()) {
            sb.append(number(n.doubleValue()));
        } else {
            throw new IllegalArgumentException("no JSON rendering for " + n.getNodeType());
        }
    }

    private static void field(StringBuilder sb, int indent, String name, String value, boolean last) {
        sb.append(" ".repeat(indent)).append('"').append(name).append("\": ").append(value).append(last ? "\n" : ",\n");
    }
}
