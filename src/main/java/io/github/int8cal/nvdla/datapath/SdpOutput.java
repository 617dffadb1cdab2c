package io.github.int8cal.nvdla.datapath;

/**
 * SDP result: int8 values planar {@code [lane][pixel]} and the counts: {@code cvt17Saturated}
 * (values clamped to 17 bits in the output converter, all lanes; the hardware counter reports it
 * only when PERF_SAT_EN), {@code int8Clipped} (values of real channels clipped to int8), and in EW
 * compare mode whether any element was unequal ({@code SDP.D_STATUS.STATUS_UNEQUAL}; no output is
 * written then).
 */
public record SdpOutput(byte[] values, long cvt17Saturated, long int8Clipped, boolean compareMode,
        boolean unequal) {
}
