package io.github.int8cal.emit;

import io.github.int8cal.io.AtomicFiles;
import io.github.int8cal.nvdla.program.LayerProgram;
import io.github.int8cal.nvdla.program.OperandMemory;
import io.github.int8cal.nvdla.program.RegisterEmitter;
import io.github.int8cal.nvdla.program.RegisterWrite;
import io.github.int8cal.plan.NetworkPlan;
import io.github.int8cal.report.RegistersJsonWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Writes each programmed layer as an NVDLA trace fragment ({@code <layer>.cfg}, nvdla-datapath.md
 * §5.2): a {@code mem_load} of the per-channel operand image ({@code <layer>.dat}, §5.3, 32-byte
 * records) followed by the {@code reg_write}s, so it can be loaded next to the hardware's own traces.
 */
public final class RegisterTraceWriter {

    static final int RECORD_BYTES = 32;

    private RegisterTraceWriter() {
    }

    /**
     * Emits and writes everything for {@code plan}: {@code registers.json} and the fragments. Writes
     * nothing and returns false when the plan was skipped (the caller logs {@code plan.skipped()}).
     */
    public static boolean writeAll(Path outputDir, NetworkPlan plan) throws IOException {
        if (plan.skipped().isPresent()) {
            return false;
        }
        writeAll(outputDir, plan, RegisterEmitter.emit(plan));
        return true;
    }

    /**
     * Writes {@code registers.json} into {@code outputDir} and the fragments into
     * {@code outputDir/registers/}; fragments of layers no longer in the plan are removed.
     */
    public static void writeAll(Path outputDir, NetworkPlan plan, List<LayerProgram> layers) throws IOException {
        Path dir = outputDir.resolve(RegistersJsonWriter.FRAGMENT_DIR);
        Set<String> written = new HashSet<>();
        for (LayerProgram l : layers) {
            if (l.writes().isEmpty()) {
                continue;
            }
            String stem = LayerFileNames.encode(l.name());
            AtomicFiles.writeString(dir.resolve(stem + ".cfg"), cfg(l, plan));
            written.add(stem + ".cfg");
            if (!l.operands().isEmpty()) {
                AtomicFiles.writeString(dir.resolve(stem + ".dat"), dat(l));
                written.add(stem + ".dat");
            }
        }
        if (Files.isDirectory(dir)) {
            try (Stream<Path> files = Files.list(dir)) {
                for (Path f : files.sorted().toList()) {
                    String n = f.getFileName().toString();
                    if ((n.endsWith(".cfg") || n.endsWith(".dat")) && !written.contains(n)) {
                        Files.delete(f);
                    }
                }
            }
        }
        RegistersJsonWriter.write(outputDir.resolve("registers.json"), plan, layers);
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
