package io.github.int8cal.plan;

import io.github.int8cal.fixedpoint.CompilerScaleShift;
import io.github.int8cal.fixedpoint.PreciseScaleShift;
import io.github.int8cal.fixedpoint.ScaleShift;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Element-wise sum: scale equalization of the two inputs and the {@code Si/So} requantization
 * (nvdla-compiler.md §2.7, §0.0 items 3-4).
 */
public final class EltwiseRequantizer {

    private EltwiseRequantizer() {
    }

    /**
     * Compiler mode reproduces {@code EngineGraph::updateScalingFactors}: input 0 takes input 1's
     * scale unless only input 0's producer has other consumers (then input 1 takes input 0's); both
     * having other consumers is refused. Precise mode takes the larger scale for both, so nothing
     * clips.
     */
    public static EltwiseEqualization equalize(String layer, EltwiseInput in0, EltwiseInput in1, RequantMode mode) {
        List<Diagnostic> diagnostics = new ArrayList<>();
        boolean ok = ConvRequantizer.checkScale(layer, "scale of input " + in0.producer(), in0.calibratedScale(),
                diagnostics) & ConvRequantizer.checkScale(layer, "scale of input " + in1.producer(),
                        in1.calibratedScale(), diagnostics);
        if (!ok) {
            return new EltwiseEqualization(layer, -1, null, Float.NaN, diagnostics);
        }
        if (in0.calibratedScale() == in1.calibratedScale()) {
            return new EltwiseEqualization(layer, -1, null, in0.calibratedScale(), diagnostics);
        }
        int overwritten;
        if (mode == RequantMode.COMPILER) {
            if (in0.compilerSeesOtherConsumers() && in1.compilerSeesOtherConsumers()) {
                diagnostics.add(new Diagnostic(layer, DiagnosticCode.ELTWISE_UNSUPPORTED, Severity.ERROR,
                        "both inputs (" + in0.producer() + ", " + in1.producer() + ") have other consumers:"
                                + " nvdla_compiler refuses this ('Both input nodes having multiple output edges is"
                                + " not supported yet'); use precise mode"));
                return new EltwiseEqualization(layer, -1, null, Float.NaN, diagnostics);
            }
            overwritten = in0.compilerSeesOtherConsumers() ? 1 : 0;
        } else {
            overwritten = in0.calibratedScale() < in1.calibratedScale() ? 0 : 1;
        }
        EltwiseInput lost = overwritten == 0 ? in0 : in1;
        EltwiseInput kept = overwritten == 0 ? in1 : in0;
        float common = kept.calibratedScale();
        boolean clips = common < lost.calibratedScale();
        diagnostics.add(new Diagnostic(layer, DiagnosticCode.ELTWISE_SCALE_OVERWRITTEN,
                clips ? Severity.WARNING : Severity.INFO, String.format(Locale.ROOT,
                        "%s (input %d) is requantized to %s's scale %.8g instead of its calibrated %.8g: it %s"
                                + " at %.4g instead of %.4g%s",
                        lost.producer(), overwritten, kept.producer(), common, lost.calibratedScale(),
                        clips ? "clips" : "saturates", 127.0 * common, 127.0 * lost.calibratedScale(),
                        clips ? (mode == RequantMode.COMPILER ? " (nvdla_compiler behaviour; precise mode"
                                + " takes the larger scale)" : "") : ", losing resolution but not range")));
        return new EltwiseEqualization(layer, overwritten, lost.producer(), common, diagnostics);
    }

    /**
     * Stand-alone element-wise sum (per-kernel): X1 ALU SUM with the other branch as a per-point
     * int8 operand, shift 0, ReLU if merged; output converter {@code Si/So} ({@code Si} after
     * equalization).
     */
    public static LayerRequant plan(String layer, float inputScale, float outputScale, boolean relu, RequantMode mode) {
        List<Diagnostic> diagnostics = new ArrayList<>();
        boolean ok = ConvRequantizer.checkScale(layer, "input scale", inputScale, diagnostics)
                & ConvRequantizer.checkScale(layer, "output scale", outputScale, diagnostics);
        double ideal = (double) inputScale / outputScale;
        SdpProgram program = null;
        ScaleShift m = null;
        if (ok && mode == RequantMode.COMPILER) {
            float factor = inputScale / outputScale;
            CompilerScaleShift.Result r = CompilerScaleShift.encode(factor);
            if (r.rejected()) {
                // the compiler ignores this error code (SDPEltWiseOp.cpp:184) and programs garbage
                diagnostics.add(new Diagnostic(layer, DiagnosticCode.FACTOR_UNENCODABLE, Severity.ERROR,
                        String.format(Locale.ROOT, "Si/So = %.8g cannot be encoded (%s); nvdla_compiler ignores"
                                + " the error and programs an undefined converter", factor, r.issues())));
            } else {
                m = r.value();
                if (r.issues().contains(io.github.int8cal.fixedpoint.EncodingIssue.SHIFT_ABOVE_31)) {
                    diagnostics.add(new Diagnostic(layer, DiagnosticCode.SHIFT_ABOVE_31, Severity.WARNING,
                            "output converter shift " + m.shift() + " > 31 ('Truncate too high')"));
                }
                program = new SdpProgram(null, operandX1(relu, 0), null, new CvtProgram(m.multiplier(), m.shift(), 0));
            }
        } else if (ok) {
            m = PreciseScaleShift.encode(ideal);
            int shift = Math.max(-PreciseRequantEncoder.MAX_SPREAD, Math.min(PreciseRequantEncoder.MAX_TOTAL_SHIFT,
                    m.shift()));
            m = PreciseScaleShift.encodeWithShift(ideal, shift);
            XUnitProgram x2 = shift < 0 ? new XUnitProgram(XOpType.MUL, OperandSource.REGISTER, new int[0], 0,
                    new int[] {1 << -shift}, 0, false) : null;
            program = new SdpProgram(null, operandX1(relu, Math.max(0, shift - 63)), x2,
                    new CvtProgram(m.multiplier(), Math.max(0, Math.min(63, shift)), 0));
        }
        double[] effective = program == null ? new double[0] : new double[] {program.effectiveFactor(0)};
        double[] errors = program == null ? new double[0]
                : new double[] {ScaleShift.relativeError(effective[0], ideal)};
        return new LayerRequant(layer, LayerKind.ELTWISE_SUM, mode, null, inputScale, outputScale, new float[0],
                new byte[0][], 0, new float[0], new double[] {ideal}, null,
                m == null ? List.of() : Collections.singletonList(m), program, effective, errors,
                m == null ? new int[0] : new int[] {m.mantissaBits()}, diagnostics);
    }

    private static XUnitProgram operandX1(boolean relu, int shift) {
        return new XUnitProgram(XOpType.ADD, OperandSource.MEMORY_PER_POINT_INT8, new int[0], 0, new int[0], shift,
                relu);
    }

    /**
     * Per-filter element-wise super op (nvdla-compiler.md §0.0 item 4): the conv's X1 (requantizing
     * to the sum's equalized input scale, kept int32), X2 ALU SUM with the other branch as a
     * per-point int8 operand (ReLU after the sum), and the sum's {@code Si/So} in the output
     * converter. The conv must have been planned with an identity converter and no X2.
     */
    public static SdpProgram fuseIntoConv(LayerRequant conv, LayerRequant eltwise) {
        SdpProgram c = conv.program();
        SdpProgram e = eltwise.program();
        if (c == null || e == null || !c.outCvt().isIdentity() || c.x2() != null) {
            throw new IllegalArgumentException(conv.layer() + " cannot be fused with " + eltwise.layer()
                    + ": the conv needs an identity output converter and a free X2 (plan it per-filter with the"
                    + " X2 left free)");
        }
        XUnitProgram x1 = c.x1();
        XUnitProgram convX1 = new XUnitProgram(x1.type(), x1.source(), x1.aluOperands(), x1.aluShift(),
                x1.mulOperands(), x1.mulShift(), false);
        XUnitProgram x2 = new XUnitProgram(XOpType.ADD, OperandSource.MEMORY_PER_POINT_INT8, new int[0], 0, new int[0],
                e.x1().mulShift(), e.x1().relu());
        return new SdpProgram(c.convCore(), convX1, x2, e.outCvt());
    }
}
