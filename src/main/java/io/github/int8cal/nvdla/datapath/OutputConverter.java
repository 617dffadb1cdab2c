package io.github.int8cal.nvdla.datapath;

import io.github.int8cal.fixedpoint.Rounding;

/**
 * SDP output converter C (docs/nvdla-arithmetic.md#sdp-output-converter): {@code t17 = sat17(rnd((d - offset) * scale,
 * shift))}, then {@code sat8(t17)} for int8 output. Only the 17-bit clamp is a hardware
 * saturation count ({@code SDP.D_PERF_OUT_SATURATION}); the int8 clip is counted separately.
 *
 * @param offset signed 32-bit, subtracted
 * @param scale signed 16-bit
 * @param shift unsigned 6-bit; 49 or more gives 0 (RTL)
 */
public record OutputConverter(long offset, int scale, int shift) {

    public static final OutputConverter IDENTITY = new OutputConverter(0, 1, 0);

    public OutputConverter {
        if (offset < Integer.MIN_VALUE || offset > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("CVT_OFFSET is signed 32-bit, got " + offset);
        }
        if (scale < Short.MIN_VALUE || scale > Short.MAX_VALUE) {
            throw new IllegalArgumentException("CVT_SCALE is signed 16-bit, got " + scale);
        }
        if (shift < 0 || shift > 63) {
            throw new IllegalArgumentException("CVT_SHIFT is unsigned 6-bit, got " + shift);
        }
    }

    /** The 17-bit intermediate before the final int8/int16 clamp (not yet saturated). */
    public long unsaturated17(long d) {
        return shift >= 49 ? 0 : Rounding.shiftRightRoundHalfAwayFromZero((d - offset) * scale, shift);
    }
}
