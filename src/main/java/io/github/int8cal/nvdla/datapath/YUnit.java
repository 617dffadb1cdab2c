package io.github.int8cal.nvdla.datapath;

import io.github.int8cal.fixedpoint.Rounding;

/**
 * SDP Y (EW) unit of the configurations that have it (nv_full, nv_large;
 * docs/nvdla-arithmetic.md#sdp-y-unit-and-operand-converter): multiplier first ({@code sat32(rnd(d * op, truncate))},
 * 64-bit product, 10-bit truncate; PReLU passes {@code d >= 0}), then ALU ({@code sat32} of max/min/sum; EQL compares
 * and switches the SDP into compare mode). No ReLU. The LUT is not modelled: {@code lutBypass} must be true.
 */
public record YUnit(boolean bypass, boolean aluBypass, AluAlgo aluAlgo, boolean mulBypass, boolean prelu,
        boolean lutBypass, int truncate, SdpOperand aluOperand, OperandConverter aluConverter,
        SdpOperand mulOperand, OperandConverter mulConverter) {

    public static final YUnit BYPASSED = new YUnit(true, true, AluAlgo.MAX, true, false, true, 0,
            SdpOperand.register(0), OperandConverter.BYPASSED, SdpOperand.register(0), OperandConverter.BYPASSED);

    public YUnit {
        if (truncate < 0 || truncate > 1023) {
            throw new IllegalArgumentException("EW truncate is 10-bit, got " + truncate);
        }
        if (!bypass && !lutBypass) {
            throw new IllegalArgumentException("the SDP LUT is not modelled");
        }
    }

    /** True when the ALU runs in EQL (compare) mode: outputs are not written. */
    public boolean compareMode() {
        return !bypass && !aluBypass && aluAlgo == AluAlgo.EQL;
    }

    /** The operand as the unit sees it: memory operands pass their converter. */
    public long aluOperandValue(int lane, int pixel) {
        long v = aluOperand.value(lane, pixel);
        return aluOperand.fromRegister() ? v : aluConverter.convert(v);
    }

    public long mulOperandValue(int lane, int pixel) {
        long v = mulOperand.value(lane, pixel);
        return mulOperand.fromRegister() ? v : mulConverter.convert(v);
    }

    public long apply(long d, long aluOp, long mulOp) {
        if (bypass) {
            return d;
        }
        long m;
        if (mulBypass || (prelu && d >= 0)) {
            m = d;
        } else {
            m = Rounding.saturate(Rounding.shiftRightRoundHalfAwayFromZero(d * mulOp, truncate), 32);
        }
        if (aluBypass) {
            return m;
        }
        return switch (aluAlgo) {
            case MAX -> Math.max(m, aluOp);
            case MIN -> Math.min(m, aluOp);
            case SUM -> Rounding.saturate(m + aluOp, 32);
            case EQL -> m == aluOp ? 0 : 1;
        };
    }
}
