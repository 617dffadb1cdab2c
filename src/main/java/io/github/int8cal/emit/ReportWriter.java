package io.github.int8cal.emit;

import io.github.int8cal.calib.CalibratedTensor;
import java.util.List;
import java.util.Map;

/**
 * Writes {@code report.json}:
 * <pre>{@code
 * {"format": "nvdla-int8-report", "version": 1,
 *  "model": {"path", "format", "name", "weights"},                        (only with a model)
 *  "tensors": [{"name", "min", "max", "amax", "scale", "method", "histogramClippedFraction"}, ...],
 *  "layers": [{"name", "op", "type", "inputs", "outputs", "outputShape",
 *              "inputScales": {"tensor": scale}, "outputScales": {"tensor": scale}}, ...],   (only with a model)
 *  "scaleChanges": [{"tensor", "oldAmax", "newAmax", "reason"}, ...],   (only with a model)
 *  "warnings": ["...", ...]}                                               (only with a model)
 * }</pre>
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
            List<ScaleChange> scaleChanges, List<String> warnings) {
        public ModelReport {
            layers = List.copyOf(layers);
            scaleChanges = List.copyOf(scaleChanges);
            warnings = List.copyOf(warnings);
        }
    }

    /**
     * One layer: what it computes and the scale of every activation it reads and writes.
     *
     * @param op   our op ({@code CONVOLUTION}, ...); {@code type} is the file's spelling
     * @param inputScales  input tensor to its float32 scale, in input order
     * @param outputScales output tensor to its float32 scale, in output order
     */
    public record LayerEntry(String name, String op, String type, List<String> inputs, List<String> outputs,
            List<Long> outputShape, Map<String, Float> inputScales, Map<String, Float> outputScales) {
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
            field(sb, 6, "histogramClippedFraction", clipped == null ? "null" : PythonFloatRepr.repr(clipped), true);
            sb.append("    }");
        }
        sb.append(tensors.isEmpty() ? "]" : "\n  ]");
        if (model != null) {
            sb.append(",\n  \"layers\": [");
            for (int i = 0; i < model.layers().size(); i++) {
                LayerEntry l = model.layers().get(i);
                sb.append(i == 0 ? "\n" : ",\n");
                sb.append("    {\n");
                field(sb, 6, "name", PythonJson.quote(l.name()), false);
                field(sb, 6, "op", PythonJson.quote(l.op()), false);
                field(sb, 6, "type", PythonJson.quote(l.type()), false);
                field(sb, 6, "inputs", strings(l.inputs()), false);
                field(sb, 6, "outputs", strings(l.outputs()), false);
                field(sb, 6, "outputShape", "[" + String.join(", ", l.outputShape().stream().map(String::valueOf)
                        .toList()) + "]", false);
                field(sb, 6, "inputScales", scales(l.inputScales()), false);
                field(sb, 6, "outputScales", scales(l.outputScales()), true);
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
        }
        return sb.append("\n}\n").toString();
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

    private static void field(StringBuilder sb, int indent, String name, String value, boolean last) {
        sb.append(" ".repeat(indent)).append('"').append(name).append("\": ").append(value).append(last ? "\n" : ",\n");
    }
}
