package io.github.int8cal.emit;

import io.github.int8cal.calib.CalibratedTensor;
import java.util.List;

/**
 * Writes the table {@code nvdla_compiler --calibtable} reads, formatted exactly as Python's
 * {@code json.dump(table, f, indent=4)} does in NVDLA's {@code calib_txt_to_json.py}: keys in table
 * order, {@code {"scale": s, "min": 0, "max": 0, "offset": 0}} per tensor, 4-space indent,
 * {@code ", "}/{@code ": "} separators, no trailing newline, and every scale as Python's
 * {@code repr} of the float32 widened to double ({@code 0.007845180109143257}, {@code 1e-05}).
 */
public final class NvdlaCalibtableWriter {

    public String write(List<CalibratedTensor> tensors) {
        if (tensors.isEmpty()) {
            return "{}";
        }
        StringBuilder sb = new StringBuilder(64 + tensors.size() * 120);
        sb.append("{\n");
        for (int i = 0; i < tensors.size(); i++) {
            CalibratedTensor t = tensors.get(i);
            sb.append("    ").append(PythonJson.quote(t.name())).append(": {\n");
            sb.append("        \"scale\": ").append(PythonFloatRepr.repr(t.scale())).append(",\n");
            sb.append("        \"min\": 0,\n");
            sb.append("        \"max\": 0,\n");
            sb.append("        \"offset\": 0\n");
            sb.append("    }").append(i + 1 < tensors.size() ? ",\n" : "\n");
        }
        return sb.append('}').toString();
    }
}
