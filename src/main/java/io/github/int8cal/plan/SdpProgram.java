package io.github.int8cal.plan;

/**
 * Everything the register emitter needs for one layer's requantization: conv-core converters
 * (null for a stand-alone SDP op), X1 (BS) and X2 (BN) programming (null = bypassed) and the
 * output converter. The hardware order is CACC clip -> X1 (ALU, MUL, shift, ReLU) -> X2 -> CVT.
 */
public record SdpProgram(ConvCoreProgram convCore, XUnitProgram x1, XUnitProgram x2, CvtProgram outCvt) {

    /**
     * The effective real multiplier applied to channel k's accumulator: product of the CACC clip,
     * X1 and X2 MUL factors and the output converter (element-wise per-point ADDs contribute 1).
     */
    public double effectiveFactor(int channel) {
        double f = convCore == null ? 1.0 : Math.scalb(1.0, -convCore.caccClipTruncate());
        if (x1 != null) {
            f *= x1.factor(channel);
        }
        if (x2 != null) {
            f *= x2.factor(channel);
        }
        return f * outCvt.factor();
    }
}
