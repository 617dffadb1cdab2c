package io.github.int8cal.nvdla.datapath;

/**
 * A layer's int8 output with the counts the hardware keeps: {@code caccSaturated} =
 * {@code CACC.D_OUT_SATURATION}; {@code cvt17Saturated} = what {@code SDP.D_PERF_OUT_SATURATION}
 * reports when {@code PERF_SAT_EN} is set; and {@code int8Clipped}, the values clipped to int8
 * (not a hardware counter).
 */
public record LayerResult(Int8Tensor output, long caccSaturated, long cvt17Saturated, long int8Clipped) {
}
