package io.github.int8cal.emit;

import io.github.int8cal.calib.CalibratedTensor;
import java.util.List;

/**
 * Writes {@code report.json}:
 * <pre>{@code
 * {"format": "nvdla-int8-report", "version": 1, "tensors": [
 *   {"name", "min", "max", "amax", "scale", "method", "histogramClippedFraction"}, ...]}
 * }</pre>
 * Tensors in table order, 2-space indent, {@code \n} line ends with a final newline, no timestamps;
 * numbers as Python's {@code repr} (scale and amax as float32 widened to double), so the output is
 * identical across runs and platforms. {@code histogramClippedFraction} is {@code null} without a
 * histogram.
 */
public final class ReportWriter {

    public static final String FORMAT_ID = "nvdla-int8-report";
    public static final int VERSION = 1;

    public String write(List<CalibratedTensor> tensors) {
        StringBuilder sb = new StringBuilder(128 + tensors.size() * 256);
        sb.append("{\n");
        sb.append("  \"format\": \"").append(FORMAT_ID).append("\",\n");
        sb.append("  \"version\": ").append(VERSION).append(",\n");
        sb.append("  \"tensors\": [");
        for (int i = 0; i < tensors.size(); i++) {
            CalibratedTensor t = tensors.get(i);
            sb.append(i == 0 ? "\n" : ",\n");
            sb.append("    {\n");
            field(sb, "name", PythonJson.quote(t.name()), false);
            field(sb, "min", PythonFloatRepr.repr(t.min()), false);
            field(sb, "max", PythonFloatRepr.repr(t.max()), false);
            field(sb, "amax", PythonFloatRepr.repr(t.amax()), false);
            field(sb, "scale", PythonFloatRepr.repr(t.scale()), false);
            field(sb, "method", PythonJson.quote(t.method()), false);
            Double clipped = t.histogramClippedFraction();
            field(sb, "histogramClippedFraction", clipped == null ? "null" : PythonFloatRepr.repr(clipped), true);
            sb.append("    }");
        }
        sb.append(tensors.isEmpty() ? "]\n" : "\n  ]\n");
        return sb.append("}\n").toString();
    }

    private static void field(StringBuilder sb, String name, String value, boolean last) {
        sb.append("      \"").append(name).append("\": ").append(value).append(last ? "\n" : ",\n");
    }
}
