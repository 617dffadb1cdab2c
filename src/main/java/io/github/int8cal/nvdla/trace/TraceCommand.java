package io.github.int8cal.nvdla.trace;

import java.nio.file.Path;

/** One command of a trace {@code .cfg} that matters to the datapath, with its source line. */
public sealed interface TraceCommand {

    int line();

    /** {@code reg_write(NVDLA_<unit>.<register>, value)}. */
    record RegWrite(String unit, String register, long value, int line) implements TraceCommand {
        public String traceName() {
            return "NVDLA_" + unit + "." + register;
        }
    }

    /** {@code mem_init(pri_mem, base, size, pattern)}. */
    record MemInit(long base, long size, String pattern, int line) implements TraceCommand {
    }

    /** {@code mem_load(pri_mem, base, "file.dat")}, the file resolved against the trace directory. */
    record MemLoad(long base, Path file, int line) implements TraceCommand {
    }

    /** {@code check_crc(sync, [mem,] base, size, golden)}. */
    record CheckCrc(long base, long size, long golden, int line) implements TraceCommand {
    }
}
