package io.github.int8cal.nvdla.datapath;

import io.github.int8cal.fixedpoint.Rounding;

/**
 * SDP X1 (BS) / X2 (BN) unit (docs/nvdla-arithmetic.md#sdp-x-units): ALU (max/min/sum with the operand shifted
 * left and saturated to int32; 33-bit result) then multiplier (49-bit product) and truncate
 * (round-half-away shift, int32 saturation) then ReLU. Quirks kept from the hardware: the truncate
 * shift is applied even when the multiplier is bypassed; the PReLU path for {@code a >= 0} skips
 * multiply and shift and keeps the low 32 bits of the ALU result; ALGO=3 acts as SUM.
 *
 * @param mulShift truncate shift; only the low 6 bits of the 8-bit register field are used
 */
public record XUnit(boolean bypass, boolean aluBypass, AluAlgo aluAlgo, boolean mulBypass, boolean prelu,
        boolean reluBypass, int aluShift, int mulShift, SdpOperand aluOperand, SdpOperand mulOperand) {

    /** The unit switched off. */
    public static final XUnit BYPASSED = new XUnit(true, true, AluAlgo.MAX, true, false, true, 0, 0,
            SdpOperand.register(0), SdpOperand.register(0));

    public XUnit {
        if (aluShift < 0 || aluShift > 63 || mulShift < 0 || mulShift > 63) {
            throw new IllegalArgumentException("SDP X shifts are 6-bit: alu " + aluShift + ", mul " + mulShift);
        }
    }

    /**
     * A multiply-and-shift requantizer (ALU bypassed): {@code sat32(rnd(d * scale, shift))}, the
     * usual per-layer or per-channel X1 setting.
     */
    public static XUnit multiply(SdpOperand scale, int shift, boolean relu) {
        return new XUnit(false, true, AluAlgo.SUM, false, false, !relu, 0, shift, SdpOperand.register(0), scale);
    }

    /** {@code d} through the unit, with the operands for this element. */
    public long apply(long d, long aluOp, long mulOp) {
        if (bypass) {
            return d;
        }
        long a;
        if (aluBypass) {
            a = d;
        } else {
            long op = Rounding.shiftLeftSaturate(aluOp, aluShift, 32);
            a = switch (aluAlgo) {
                case MAX -> Math.max(d, op);
                case MIN -> Math.min(d, op);
                case SUM, EQL -> d + op;
            };
        }
        long m;
        if (mulBypass) {
            m = Rounding.shiftRightRoundSaturate(a, mulShift, 49, 32);
        } else if (prelu && a >= 0) {
            m = (int) a;                                      // low 32 bits, two's complement
        } else {
            m = Rounding.shiftRightRoundSaturate(a * mulOp, mulShift, 49, 32);
        }
        return reluBypass || m > 0 ? m : 0;
    }
}
