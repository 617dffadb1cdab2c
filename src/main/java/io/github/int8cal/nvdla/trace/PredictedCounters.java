package io.github.int8cal.nvdla.trace;

/**
 * Counter values the hardware would report after the layer (docs/nvdla-arithmetic.md#saturation-counters), plus our own
 * int8 clip statistic.
 *
 * @param caccOutSaturation {@code CACC.D_OUT_SATURATION} (int32 clamps after CLIP_TRUNCATE); null
 *     for standalone SDP (CACC does not run)
 * @param sdpOutSaturation {@code SDP.D_PERF_OUT_SATURATION}: 17-bit clamps of the output converter,
 *     all lanes, 0 unless {@code PERF_SAT_EN}
 * @param cvt17Saturated the same count whether or not the hardware counter is enabled
 * @param int8Clipped values of real channels clipped to int8 (not a hardware counter)
 * @param statusUnequal {@code SDP.D_STATUS.STATUS_UNEQUAL} (EW compare mode)
 */
public record PredictedCounters(Long caccOutSaturation, long sdpOutSaturation, long cvt17Saturated,
        long int8Clipped, boolean statusUnequal) {

    /** Hardware counters stick at 2^32 - 1. */
    static long register(long count) {
        return Math.min(count, 0xffff_ffffL);
    }
}
