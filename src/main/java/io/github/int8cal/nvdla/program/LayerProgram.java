package io.github.int8cal.nvdla.program;

import io.github.int8cal.plan.HardwareLayerPlan;
import java.util.List;

/**
 * The quantization-relevant register writes of one hardware layer, in emission order, plus the
 * per-channel operand memory they point at. {@code notes} say what the writes leave to the rest
 * of the compiler (data addresses, sizes, op enables).
 */
public record LayerProgram(HardwareLayerPlan layer, List<RegisterWrite> writes, List<OperandMemory> operands,
        List<String> notes) {

    public LayerProgram {
        writes = List.copyOf(writes);
        operands = List.copyOf(operands);
        notes = List.copyOf(notes);
    }

    public String name() {
        return layer.name();
    }

    /** The write to {@code unit.name}, if emitted. */
    public java.util.Optional<RegisterWrite> write(io.github.int8cal.nvdla.Unit unit, String name) {
        return writes.stream().filter(w -> w.unit() == unit && w.name().equals(name)).findFirst();
    }
}
