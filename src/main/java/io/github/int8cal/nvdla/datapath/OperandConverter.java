package io.github.int8cal.nvdla.datapath;

import io.github.int8cal.fixedpoint.Rounding;

/**
 * SDP Y (EW) memory-operand converter (docs/nvdla-arithmetic.md#sdp-y-unit-and-operand-converter):
 * {@code sat32(rnd((x - offset) * scale, truncate))} with 32-bit offset, 16-bit scale and 6-bit
 * truncate; bypassed operands pass unchanged. Register operands are never converted.
 */
public record OperandConverter(boolean bypass, long offset, int scale, int truncate) {

    public static final OperandConverter BYPASSED = new OperandConverter(true, 0, 1, 0);

    public long convert(long x) {
        if (bypass) {
            return x;
        }
        return Rounding.shiftRightRoundSaturate((x - offset) * scale, truncate, 49, 32);
    }
}
