package io.github.int8cal.plan;

import io.github.int8cal.fixedpoint.CompilerScaleShift;
import io.github.int8cal.fixedpoint.EncodingIssue;
import io.github.int8cal.fixedpoint.PreciseScaleShift;
import io.github.int8cal.fixedpoint.ScaleShift;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * Element-wise sum: nvdla_compiler's scale equalization of the two inputs and the sum's
 * requantization (docs/nvdla-compiler.md#requantization-by-layer-kind, #shared-scales; our account in
 * docs/residual-networks.md).
 *
 * <p>Compiler mode adds the two int8 inputs as they are, so their scales must be equal: the
 * compiler overwrites one input's scale with the other's ({@link #equalize}), then the output
 * converter applies {@code Si/So}. Precise mode keeps every input at its own calibrated scale and
 * converts inside the SDP: the X2 ALU reads the other input (the per-element operand) shifted left
 * by {@code s} bits, which makes a fine common grid {@code U = So_operand·2^-s}; the main input is
 * brought onto that grid by a multiplier (X1 for a stand-alone sum, the conv's own X1 in a fused
 * super op), and the output converter applies {@code U/So}.
 */
public final class EltwiseRequantizer {

    /** Largest left shift of the per-element operand: a grid 2^16 times finer than its scale. */
    static final int MAX_OPERAND_SHIFT = 16;
    /** The main input's factor onto the grid stays below this, so its multiplier keeps a shift >= 1. */
    static final double MAX_GRID_FACTOR = 16384.0;

    private EltwiseRequantizer() {
    }

    /**
     * nvdla_compiler's {@code EngineGraph::updateScalingFactors} for one element-wise op whose inputs
     * are given in the compiler's edge order (input 0 = the tensor created first). Equal scales
     * (float32 {@code ==}): nothing happens. Otherwise input 0 takes input 1's scale when input 0
     * has no sibling edges (whatever input 1 has); input 1 takes input 0's when only input 0 has
     * siblings; both having siblings is an error ("Both input nodes having multiple output edges is
     * not supported yet!").
     */
    public static EltwiseEqualization equalize(String layer, EltwiseInput in0, EltwiseInput in1) {
        List<Diagnostic> diagnostics = new ArrayList<>();
        boolean ok = ConvRequantizer.checkScale(layer, "scale of input '" + in0.tensor() + "'", in0.scale(), diagnostics)
                & ConvRequantizer.checkScale(layer, "scale of input '" + in1.tensor() + "'", in1.scale(), diagnostics);
        if (!ok) {
            return new EltwiseEqualization(layer, -1, null, null, Float.NaN, diagnostics);
        }
        if (in0.scale() == in1.scale()) {
            return new EltwiseEqualization(layer, -1, null, null, in0.scale(), diagnostics);
        }
        int overwritten;
        if (!in0.hasSiblings()) {
            overwritten = 0;
        } else if (!in1.hasSiblings()) {
            overwritten = 1;
        } else {
            diagnostics.add(new Diagnostic(layer, DiagnosticCode.ELTWISE_UNSUPPORTED, Severity.ERROR,
                    "the producers of both inputs ('" + in0.producer() + "', '" + in1.producer() + "') have other"
                            + " output edges: nvdla_compiler refuses this ('Both input nodes having multiple output"
                            + " edges is not supported yet!'); use precise mode"));
            return new EltwiseEqualization(layer, -1, null, null, Float.NaN, diagnostics);
        }
        EltwiseInput lost = overwritten == 0 ? in0 : in1;
        EltwiseInput kept = overwritten == 0 ? in1 : in0;
        float common = kept.scale();
        boolean narrows = common < lost.scale();
        diagnostics.add(new Diagnostic(layer, DiagnosticCode.ELTWISE_SCALE_OVERWRITTEN,
                narrows ? Severity.WARNING : Severity.INFO, String.format(Locale.ROOT,
                        "'%s' (written by '%s', sum input %d in nvdla_compiler's edge order) takes '%s''s scale"
                                + " %.8g instead of %.8g: it runs at amax %.4g instead of %.4g, %s",
                        lost.tensor(), lost.producer(), overwritten, kept.tensor(), common, lost.scale(),
                        127.0 * common, 127.0 * lost.scale(), narrows
                                ? "larger values clip (nvdla_compiler behaviour; precise mode converts each input"
                                        + " in the SDP instead)"
                                : "losing resolution but not range")));
        return new EltwiseEqualization(layer, overwritten, lost, kept, common, diagnostics);
    }

    /**
     * Stand-alone element-wise sum whose two inputs run at one scale (compiler mode always, precise
     * mode when they agree): X1 ALU SUM with the other input as a per-element int8 operand, shift 0,
     * ReLU if merged; output converter {@code Si/So}.
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
                if (r.issues().contains(EncodingIssue.SHIFT_ABOVE_31)) {
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
     * The operand shift {@code s} of a precise converting sum: the largest in [0, 16] that keeps the
     * main input's factor onto the grid below 2^14 (so its multiplier has a non-negative shift and
     * 15 bits) and the output converter's shift within 63.
     *
     * @param mainFactorAtShift0 the largest factor taking the main input onto the operand's own
     *                           scale (stand-alone: {@code So_main/So_operand}; fused: the conv's
     *                           largest {@code Si·Sw[k](·v[k])/So_operand})
     */
    static int operandShift(double mainFactorAtShift0, double operandScale, double outputScale) {
        for (int s = MAX_OPERAND_SHIFT; s > 0; s--) {
            double grid = Math.scalb(operandScale, -s);
            if (Math.scalb(mainFactorAtShift0, s) < MAX_GRID_FACTOR
                    && PreciseScaleShift.naturalShift(grid / outputScale) <= 63) {
                return s;
            }
        }
        return 0;
    }

    /**
     * Precise stand-alone sum of inputs at different scales: X1 MUL (register) brings the main input
     * (read by SDP_RDMA) onto the grid {@code U = So_operand·2^-s}; X2 ALU SUM adds the per-element
     * operand shifted left by {@code s} (ReLU after the sum); the output converter applies {@code U/So}.
     * Nothing clips before the output converter, so each input keeps its calibrated range.
     *
     * <p>The result's arrays hold one entry per input (main, operand): factor {@code S_input/So},
     * the multiplier carrying it (X1 for the main input, the output converter for the operand),
     * effective value and relative error.
     */
    public static LayerRequant planConverting(String layer, float mainScale, float operandScale, float outputScale,
            boolean relu) {
        List<Diagnostic> diagnostics = new ArrayList<>();
        boolean ok = ConvRequantizer.checkScale(layer, "main input scale", mainScale, diagnostics)
                & ConvRequantizer.checkScale(layer, "operand scale", operandScale, diagnostics)
                & ConvRequantizer.checkScale(layer, "output scale", outputScale, diagnostics);
        double[] ideal = {(double) mainScale / outputScale, (double) operandScale / outputScale};
        if (!ok) {
            return new LayerRequant(layer, LayerKind.ELTWISE_CONVERTING, RequantMode.PRECISE, null, mainScale,
                    outputScale, new float[0], new byte[0][], 0, new float[0], ideal, null, List.of(), null,
                    new double[0], new double[0], new int[0], diagnostics);
        }
        int s = operandShift((double) mainScale / operandScale, operandScale, outputScale);
        double grid = Math.scalb((double) operandScale, -s);
        ScaleShift toGrid = PreciseScaleShift.encode(mainScale / grid);
        int x1Shift = Math.max(0, Math.min(63, toGrid.shift()));
        toGrid = PreciseScaleShift.encodeWithShift(mainScale / grid, x1Shift);
        ScaleShift cvt = converter(grid / outputScale);
        XUnitProgram x1 = new XUnitProgram(XOpType.MUL, OperandSource.REGISTER, new int[0], 0,
                new int[] {toGrid.multiplier()}, toGrid.shift(), false);
        XUnitProgram x2 = new XUnitProgram(XOpType.ADD, OperandSource.MEMORY_PER_POINT_INT8, new int[0], s, new int[0],
                0, relu);
        SdpProgram program = new SdpProgram(null, x1, x2, new CvtProgram(cvt.multiplier(), cvt.shift(), 0));
        diagnostics.add(new Diagnostic(layer, DiagnosticCode.ENCODING_CHOICE, Severity.INFO, String.format(Locale.ROOT,
                "inputs keep their scales %.8g and %.8g: X1 multiplies the main input by %s onto the grid"
                        + " %.8g (= operand scale / 2^%d), X2 adds the operand << %d, the output converter applies"
                        + " %s", mainScale, operandScale, toGrid, grid, s, s, cvt)));
        double[] effective = {toGrid.value() * cvt.value(), Math.scalb(cvt.value(), s)};
        return converting(layer, mainScale, outputScale, ideal, List.of(toGrid, cvt), program, effective,
                diagnostics);
    }

    /**
     * Precise sum fused into the conv feeding it (per-filter super op): the conv's X1 already
     * requantizes onto the grid {@code gridScale = So_operand·2^-s}; X2 ALU SUM adds the operand
     * shifted by {@code s}, ReLU after the sum; the output converter applies {@code U/So}. The
     * arrays hold the conv path ({@code U/So}) and the operand ({@code So_operand/So}).
     */
    public static LayerRequant planFusedConverting(String layer, double gridScale, int operandShift,
            float operandScale, float outputScale, boolean relu) {
        List<Diagnostic> diagnostics = new ArrayList<>();
        ConvRequantizer.checkScale(layer, "output scale", outputScale, diagnostics);
        double[] ideal = {gridScale / outputScale, (double) operandScale / outputScale};
        ScaleShift cvt = converter(gridScale / outputScale);
        XUnitProgram x2 = new XUnitProgram(XOpType.ADD, OperandSource.MEMORY_PER_POINT_INT8, new int[0], operandShift,
                new int[0], 0, relu);
        SdpProgram program = new SdpProgram(null, null, x2, new CvtProgram(cvt.multiplier(), cvt.shift(), 0));
        double[] effective = {cvt.value(), Math.scalb(cvt.value(), operandShift)};
        return converting(layer, (float) gridScale, outputScale, ideal, List.of(cvt, cvt), program, effective,
                diagnostics);
    }

    private static ScaleShift converter(double factor) {
        ScaleShift m = PreciseScaleShift.encode(factor);
        return m.shift() > 63 || m.shift() < 0
                ? PreciseScaleShift.encodeWithShift(factor, Math.max(0, Math.min(63, m.shift()))) : m;
    }

    private static LayerRequant converting(String layer, float inputScale, float outputScale, double[] ideal,
            List<ScaleShift> multipliers, SdpProgram program, double[] effective, List<Diagnostic> diagnostics) {
        double[] errors = new double[ideal.length];
        int[] bits = new int[ideal.length];
        for (int i = 0; i < ideal.length; i++) {
            errors[i] = ScaleShift.relativeError(effective[i], ideal[i]);
            bits[i] = multipliers.get(i).mantissaBits();
        }
        return new LayerRequant(layer, LayerKind.ELTWISE_CONVERTING, RequantMode.PRECISE, null, inputScale,
                outputScale, new float[0], new byte[0][], 0, new float[0], ideal, null, multipliers, program,
                effective, errors, bits, diagnostics);
    }

    /**
     * Per-filter element-wise super op (docs/nvdla-compiler.md#requantization-by-layer-kind): the conv's X1
     * (requantizing to the sum's input grid, kept int32, its ReLU if it has one), X2 ALU SUM with the other branch
     * as a per-element int8 operand (ReLU after the sum), and the sum's output converter. The conv
     * must have been planned with an identity converter and no X2.
     */
    public static SdpProgram fuseIntoConv(LayerRequant conv, LayerRequant eltwise) {
        SdpProgram c = conv.program();
        SdpProgram e = eltwise.program();
        if (c == null || e == null || !c.outCvt().isIdentity() || c.x2() != null) {
            throw new IllegalArgumentException(conv.layer() + " cannot be fused with " + eltwise.layer()
                    + ": the conv needs an identity output converter and a free X2 (plan it per-filter with the"
                    + " X2 left free)");
        }
        XUnitProgram x2 = e.x2() != null && e.x2().source() == OperandSource.MEMORY_PER_POINT_INT8 ? e.x2()
                : new XUnitProgram(XOpType.ADD, OperandSource.MEMORY_PER_POINT_INT8, new int[0], e.x1().aluShift(),
                        new int[0], e.x1().mulShift(), e.x1().relu());
        return new SdpProgram(c.convCore(), c.x1(), x2, e.outCvt());
    }
}
