package io.github.int8cal.nvdla.trace;

/** One {@code check_crc}: the region, the golden CRC from the trace and the emulated one. */
public record CrcCheck(long base, long size, long golden, long actual) {

    public boolean match() {
        return golden == actual;
    }
}
