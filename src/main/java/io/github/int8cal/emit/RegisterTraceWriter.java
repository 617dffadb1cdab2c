package io.github.int8cal.emit;

import io.github.int8cal.nvdla.program.LayerProgram;
import io.github.int8cal.nvdla.program.OperandMemory;
import io.github.int8cal.nvdla.program.RegisterWrite;
import io.github.int8cal.plan.NetworkPlan;
import java.util.List;
import java.util.Locale;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Writes each programmed layer as an NVDLA trace fragment ({@code <layer>.cfg},
 * docs/nvdla-arithmetic.md#cfg-syntax): a {@code mem_load} of the per-channel operand image
 * ({@code <layer>.dat}, docs/nvdla-arithmetic.md#dat-files, 32-byte records) followed by the {@code reg_write}s, so it
 * can be loaded next to the hardware's own traces.
 */
public final class RegisterTraceWriter {

    /** Folder, next to registers.json, holding one {@code <layer>.cfg} (+ {@code .dat}) per programmed layer. */
    public static final String FRAGMENT_DIR = "registers";
    static final int RECORD_BYTES = 32;

    private RegisterTraceWriter() {
    }

    /**
     * The fragments of every programmed layer: file name inside {@value #FRAGMENT_DIR}{@code /} ->
     * content, sorted by name ({@code <layer>.cfg}, and {@code <layer>.dat} where it loads operands).
     */
    public static SortedMap<String, String> fragments(NetworkPlan plan, List<LayerProgram> layers) {
        SortedMap<String, String> fragments = new TreeMap<>();
        for (LayerProgram l : layers) {
            if (l.writes().isEmpty()) {
                continue;
            }
            String stem = LayerFileNames.encode(l.name());
            put(fragments, stem + ".cfg", cfg(l, plan));
            if (!l.operands().isEmpty()) {
                put(fragments, stem + ".dat", dat(l));
            }
        }
        return fragments;
    }

    private static void put(SortedMap<String, String> fragments, String file, String content) {
        if (fragments.put(file, content) != null) {
            // LayerFileNames is injective; two hardware layers of one name would be a planner bug
            throw new IllegalStateException("two hardware layers write " + file);
        }
    }

    public static String cfg(LayerProgram l, NetworkPlan plan) {
        StringBuilder sb = new StringBuilder();
        sb.append("// nvdla-int8-maven-plugin: quantization registers of layer ").append(l.name().replace('\n', ' '))
                .append('\n');
        sb.append(String.format(Locale.ROOT, "// %s, %s mode, %s weights; register group 0\n",
                plan.options().hardware().name(), plan.options().mode().id(),
                plan.options().scope().id()));
        for (String note : l.notes()) {
            sb.append("// ").append(note.replace('\n', ' ')).append('\n');
        }
        if (!l.operands().isEmpty()) {
            long base = l.operands().get(0).address() - l.operands().get(0).offset();
            sb.append(String.format(Locale.ROOT, "mem_load(pri_mem, 0x%x, \"%s.dat\");\n", base,
                    LayerFileNames.encode(l.name())));
        }
        for (RegisterWrite w : l.writes()) {
            sb.append(String.format(Locale.ROOT, "reg_write(%s, 0x%x);\n", w.traceName(), w.value()));
        }
        return sb.toString();
    }

    /** The operand images of the layer at their offsets, as 32-byte {@code .dat} records. */
    public static String dat(LayerProgram l) {
        StringBuilder sb = new StringBuilder("{\n");
        for (OperandMemory m : l.operands()) {
            byte[] b = m.bytes();
            for (int at = 0; at < b.length; at += RECORD_BYTES) {
                int n = Math.min(RECORD_BYTES, b.length - at);
                sb.append(String.format(Locale.ROOT, "{offset:0x%x, size:%d, payload:", m.offset() + at, n));
                for (int i = 0; i < n; i++) {
                    sb.append(i == 0 ? "" : " ").append(String.format(Locale.ROOT, "0x%02x", b[at + i] & 0xff));
                }
                sb.append("} ,\n");
            }
        }
        return sb.append("}\n").toString();
    }
}
