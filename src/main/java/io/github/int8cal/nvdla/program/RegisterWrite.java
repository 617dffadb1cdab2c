package io.github.int8cal.nvdla.program;

import io.github.int8cal.nvdla.Unit;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One register write: unit, register name without the {@code _0} group suffix (e.g.
 * {@code D_CVT_SCALE}), CSB address for the chosen hardware, raw 32-bit value, and every field of
 * the register decoded from that value (two's-complement fields as signed numbers), in RDL order.
 */
public record RegisterWrite(Unit unit, String name, int address, long value, Map<String, Long> fields) {

    public RegisterWrite {
        fields = Collections.unmodifiableMap(new LinkedHashMap<>(fields));
    }

    /** {@code NVDLA_SDP.D_CVT_SCALE_0}, the name the trace syntax uses (register group 0). */
    public String traceName() {
        return "NVDLA_" + unit + "." + name + "_0";
    }
}
