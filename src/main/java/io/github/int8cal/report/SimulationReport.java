package io.github.int8cal.report;

import com.fasterxml.jackson.core.util.DefaultIndenter;
import com.fasterxml.jackson.core.util.DefaultPrettyPrinter;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.int8cal.io.AtomicFiles;
import io.github.int8cal.nvdla.HardwareConfig;
import io.github.int8cal.nvdla.trace.CrcCheck;
import io.github.int8cal.nvdla.trace.PredictedCounters;
import io.github.int8cal.nvdla.trace.TraceResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Writes what a simulation produced: {@code summary.json} (per trace: status, every check with
 * base, size, golden, actual and match, and the predicted counters) and, per trace, the checked
 * output regions as raw binary files {@code <trace>/0x<base>+0x<size>.bin}.
 */
public final class SimulationReport {

    private SimulationReport() {
    }

    /** Writes into {@code directory}; returns the summary file. */
    public static Path write(Path directory, HardwareConfig hardware, List<TraceResult> results) throws IOException {
        List<Map<String, Object>> traces = new ArrayList<>();
        for (TraceResult r : results) {
            Map<String, Object> t = new LinkedHashMap<>();
            t.put("name", r.name());
            t.put("cfg", r.cfg().toString());
            t.put("status", r.status().name());
            if (r.reason() != null) {
                t.put("reason", r.reason());
            }
            List<Map<String, Object>> checks = new ArrayList<>();
            for (CrcCheck c : r.checks()) {
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("base", hex(c.base()));
                m.put("size", hex(c.size()));
                m.put("golden", crc(c.golden()));
                m.put("actual", crc(c.actual()));
                m.put("match", c.match());
                checks.add(m);
            }
            t.put("checks", checks);
            if (r.counters() != null) {
                PredictedCounters pc = r.counters();
                Map<String, Object> m = new LinkedHashMap<>();
                m.put("CACC.D_OUT_SATURATION", pc.caccOutSaturation());
                m.put("SDP.D_PERF_OUT_SATURATION", pc.sdpOutSaturation());
                m.put("cvt17Saturated", pc.cvt17Saturated());
                m.put("int8Clipped", pc.int8Clipped());
                m.put("SDP.D_STATUS.STATUS_UNEQUAL", pc.statusUnequal());
                t.put("predictedCounters", m);
            }
            List<String> outputs = new ArrayList<>();
            for (TraceResult.MemoryRegion region : r.regions()) {
                String file = r.name() + "/" + hex(region.base()) + "+" + hex(region.bytes().length) + ".bin";
                AtomicFiles.write(directory.resolve(file), region.bytes());
                outputs.add(file);
            }
            t.put("outputs", outputs);
            traces.add(t);
        }
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("hardware", hardware.name());
        summary.put("traces", traces);
        summary.put("matched", results.stream().filter(r -> r.status() == TraceResult.Status.MATCH).count());
        summary.put("mismatched", results.stream().filter(r -> r.status() == TraceResult.Status.MISMATCH).count());
        summary.put("unsupported", results.stream().filter(r -> r.status() == TraceResult.Status.UNSUPPORTED).count());
        DefaultPrettyPrinter printer = new DefaultPrettyPrinter()
                .withObjectIndenter(new DefaultIndenter("  ", "\n"))
                .withArrayIndenter(new DefaultIndenter("  ", "\n"));
        String json = new ObjectMapper().writer(printer).writeValueAsString(summary) + "\n";
        Path file = directory.resolve("summary.json");
        AtomicFiles.writeString(file, json);
        return file;
    }

    public static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    /** A CRC as the trace writes it: 8 lowercase hex digits. */
    public static String crc(long v) {
        return String.format(Locale.ROOT, "0x%08x", v);
    }
}
