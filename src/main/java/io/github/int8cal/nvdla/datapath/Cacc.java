package io.github.int8cal.nvdla.datapath;

import io.github.int8cal.fixedpoint.Rounding;

/**
 * CACC output stage (docs/nvdla-arithmetic.md#cmac-and-cacc): the exact accumulator is shifted right by
 * {@code CLIP_TRUNCATE} with round-half-away-from-zero and saturated to int32; each clamp is one
 * count of {@code CACC.D_OUT_SATURATION}.
 */
public final class Cacc {

    /** RDL: "unsigned value. Range: 0~16" (the cmod fails above 16). */
    public static final int MAX_CLIP_TRUNCATE = 16;

    private Cacc() {
    }

    /** {@code sat32(rnd(acc, clipTruncate))}. */
    public static int clipTruncate(long acc, int clipTruncate) {
        return (int) Rounding.saturate(Rounding.shiftRightRoundHalfAwayFromZero(acc, clipTruncate), 32);
    }

    /** True when {@link #clipTruncate} clamps this accumulator (a saturation count). */
    public static boolean saturates(long acc, int clipTruncate) {
        return Rounding.saturates(Rounding.shiftRightRoundHalfAwayFromZero(acc, clipTruncate), 32);
    }
}
