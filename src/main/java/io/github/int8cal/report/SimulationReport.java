package io.github.int8cal.report;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.int8cal.io.AtomicFiles;
import io.github.int8cal.nvdla.HardwareConfig;
import io.github.int8cal.nvdla.trace.CrcCheck;
import io.github.int8cal.nvdla.trace.PredictedCounters;
import io.github.int8cal.nvdla.trace.TraceResult;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

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
        ObjectNode summary = JsonText.object();
        summary.put("hardware", hardware.name());
        ArrayNode traces = summary.putArray("traces");
        for (TraceResult r : results) {
            ObjectNode t = traces.addObject();
            t.put("name", r.name());
            t.put("cfg", r.cfg().toString());
            t.put("status", r.status().name());
            if (r.reason() != null) {
                t.put("reason", r.reason());
            }
            ArrayNode checks = t.putArray("checks");
            for (CrcCheck c : r.checks()) {
                ObjectNode m = checks.addObject();
                m.put("base", hex(c.base()));
                m.put("size", hex(c.size()));
                m.put("golden", crc(c.golden()));
                m.put("actual", crc(c.actual()));
                m.put("match", c.match());
            }
            if (r.counters() != null) {
                counters(t.putObject("predictedCounters"), r.counters());
            }
            ArrayNode outputs = t.putArray("outputs");
            for (TraceResult.MemoryRegion region : r.regions()) {
                String file = r.name() + "/" + hex(region.base()) + "+" + hex(region.bytes().length) + ".bin";
                AtomicFiles.write(directory.resolve(file), region.bytes());
                outputs.add(file);
            }
        }
        summary.put("matched", count(results, TraceResult.Status.MATCH));
        summary.put("mismatched", count(results, TraceResult.Status.MISMATCH));
        summary.put("unsupported", count(results, TraceResult.Status.UNSUPPORTED));
        Path file = directory.resolve("summary.json");
        AtomicFiles.writeString(file, JsonText.pretty(summary, true));
        return file;
    }

    private static void counters(ObjectNode m, PredictedCounters pc) {
        m.put("CACC.D_OUT_SATURATION", pc.caccOutSaturation());
        m.put("SDP.D_PERF_OUT_SATURATION", pc.sdpOutSaturation());
        m.put("cvt17Saturated", pc.cvt17Saturated());
        m.put("int8Clipped", pc.int8Clipped());
        m.put("SDP.D_STATUS.STATUS_UNEQUAL", pc.statusUnequal());
    }

    private static long count(List<TraceResult> results, TraceResult.Status status) {
        return results.stream().filter(r -> r.status() == status).count();
    }

    public static String hex(long v) {
        return "0x" + Long.toHexString(v);
    }

    /** A CRC as the trace writes it: 8 lowercase hex digits. */
    public static String crc(long v) {
        return String.format(Locale.ROOT, "0x%08x", v);
    }
}
