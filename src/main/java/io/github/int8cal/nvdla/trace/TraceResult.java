package io.github.int8cal.nvdla.trace;

import java.nio.file.Path;
import java.util.List;

/**
 * The outcome of one trace. {@code UNSUPPORTED} carries the reason (a feature the emulator does
 * not model); otherwise {@code checks} holds every {@code check_crc} and {@code regions} the bytes
 * of the checked memory regions after the run.
 */
public record TraceResult(String name, Path cfg, Status status, String reason, List<CrcCheck> checks,
        PredictedCounters counters, List<MemoryRegion> regions) {

    public enum Status {
        MATCH, MISMATCH, UNSUPPORTED
    }

    /** Bytes of memory {@code [base, base + bytes.length)}. */
    public record MemoryRegion(long base, byte[] bytes) {
    }

    public TraceResult {
        checks = List.copyOf(checks);
        regions = List.copyOf(regions);
    }

    static TraceResult unsupported(TraceFile trace, String reason) {
        return new TraceResult(trace.name(), trace.cfg(), Status.UNSUPPORTED, reason, List.of(), null, List.of());
    }
}
