package io.github.int8cal.plan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.int8cal.fixedpoint.CompilerScaleShift;
import io.github.int8cal.fixedpoint.WeightScope;
import java.util.List;
import org.junit.jupiter.api.Test;

class EltwiseAndInputTest {

    @Test
    void compilerOverwritesInputZeroAndWarnsAboutClipping() {
        // docs/nvdla-compiler.md#shared-scales: a ReLU calibrated at 0.08697 runs at 0.03567, clips at 4.5 not 11.0
        EltwiseInput skip = new EltwiseInput("res2a", "res2a_relu", 0.08697f, 0);
        EltwiseInput branch = new EltwiseInput("res2b_branch2c", "scale2b_branch2c", 0.03567f, 0);
        EltwiseEqualization e = EltwiseRequantizer.equalize("res2b", skip, branch);
        assertEquals(0, e.overwrittenInput());
        assertEquals("res2a_relu", e.overwrittenProducer());
        assertEquals(0.03567f, e.commonScale());
        Diagnostic d = e.diagnostics().get(0);
        assertEquals(DiagnosticCode.ELTWISE_SCALE_OVERWRITTEN, d.code());
        assertEquals(Severity.WARNING, d.severity());
        assertEquals("res2b", d.layer());
        // 127 * 0.03567 = 4.530, 127 * 0.08697 = 11.05
        assertTrue(d.message().contains("amax 4.530 instead of 11.05"), d.message());
    }

    @Test
    void inputZeroTakesInputOnesScaleWhenItHasNoSiblingsWhateverInputOneHas() {
        EltwiseEqualization e = EltwiseRequantizer.equalize("sum", new EltwiseInput("a", "pa", 0.1f, 0),
                new EltwiseInput("b", "pb", 0.2f, 1));
        assertEquals(0, e.overwrittenInput());
        assertEquals(0.2f, e.commonScale());
        // widening: INFO, no clipping
        assertEquals(Severity.INFO, e.diagnostics().get(0).severity());
    }

    @Test
    void inputOneTakesInputZerosScaleWhenOnlyInputZeroHasSiblings() {
        EltwiseEqualization e = EltwiseRequantizer.equalize("sum", new EltwiseInput("a", "pa", 0.1f, 2),
                new EltwiseInput("b", "pb", 0.2f, 0));
        assertEquals(1, e.overwrittenInput());
        assertEquals("b", e.overwritten().tensor());
        assertEquals(0.1f, e.commonScale());
    }

    @Test
    void bothInputsWithSiblingsAreRefused() {
        EltwiseEqualization e = EltwiseRequantizer.equalize("sum", new EltwiseInput("a", "pa", 0.1f, 1),
                new EltwiseInput("b", "pb", 0.2f, 1));
        assertTrue(e.rejected());
        assertEquals(DiagnosticCode.ELTWISE_UNSUPPORTED, e.diagnostics().get(0).code());
        assertTrue(e.diagnostics().get(0).message().contains("Both input nodes having multiple output edges"));
    }

    @Test
    void equalScalesChangeNothingEvenWithSiblings() {
        EltwiseEqualization e = EltwiseRequantizer.equalize("sum", new EltwiseInput("a", "pa", 0.1f, 1),
                new EltwiseInput("b", "pb", 0.1f, 1));
        assertFalse(e.rejected());
        assertEquals(-1, e.overwrittenInput());
        assertTrue(e.diagnostics().isEmpty());
    }

    @Test
    void elementwiseSumRequantizesInOutputConverter() {
        LayerRequant r = EltwiseRequantizer.plan("res2a", 0.03567f, 0.0984744f, true, RequantMode.COMPILER);
        var expected = CompilerScaleShift.encode(0.03567f / 0.0984744f).value();
        assertEquals(new CvtProgram(expected.multiplier(), expected.shift(), 0), r.program().outCvt());
        assertEquals(OperandSource.MEMORY_PER_POINT_INT8, r.program().x1().source());
        assertTrue(r.program().x1().relu());
        LayerRequant p = EltwiseRequantizer.plan("res2a", 0.03567f, 0.0984744f, true, RequantMode.PRECISE);
        assertTrue(p.worstRelativeError() <= r.worstRelativeError());
    }

    /**
     * Precise stand-alone sum of a main input at 0.09 and an operand at 0.11 into 0.13 (float32
     * values 0.090000004, 0.11, 0.13). Operand shift s: the largest s <= 16 with
     * (0.09/0.11) * 2^s = 0.8182 * 2^s < 2^14, i.e. s = 14 (s = 15 gives 26810 > 16384); the grid is
     * U = 0.11 * 2^-14. X1 multiplies the main input by 0.09/U = 13405.09 = 26810 * 2^-1 (rounded);
     * X2 adds the operand << 14; the converter applies U/So = 0.84615387 * 2^-14 =
     * round(0.84615387 * 2^15) * 2^-29 = 27727 * 2^-29. Through the emulator: a = 100, b = 50:
     * X1 100 * 26810 >> 1 = 1340500, X2 + 50 * 16384 = 2159700, CVT 2159700 * 27727 >> 29 = 111.54 -> 112
     * (exact: (9.0 + 5.5) / 0.13 = 111.54); a = -100, b = 30: ReLU -> 0; a = b = 1: 13405 + 16384 =
     * 29789 -> 1.54 -> 2; a = b = 127: 195.4 saturates to 127.
     */
    @Test
    void preciseSumConvertsEachInputFromItsOwnScale() {
        LayerRequant r = EltwiseRequantizer.planConverting("sum", 0.09f, 0.11f, 0.13f, true);
        assertEquals(LayerKind.ELTWISE_CONVERTING, r.kind());
        SdpProgram p = r.program();
        assertEquals(XOpType.MUL, p.x1().type());
        assertEquals(OperandSource.REGISTER, p.x1().source());
        assertArrayEquals(new int[] {26810}, p.x1().mulOperands());
        assertEquals(1, p.x1().mulShift());
        assertFalse(p.x1().relu());
        assertEquals(XOpType.ADD, p.x2().type());
        assertEquals(OperandSource.MEMORY_PER_POINT_INT8, p.x2().source());
        assertEquals(14, p.x2().aluShift());
        assertEquals(0, p.x2().mulShift());
        assertTrue(p.x2().relu());
        assertEquals(new CvtProgram(27727, 29, 0), p.outCvt());
        // one factor per input: main 0.09/0.13, operand 0.11/0.13, each within 2^-14 of exact
        assertEquals(2, r.idealFactors().length);
        assertTrue(r.worstRelativeError() < Math.scalb(1.0, -14), () -> "" + r.worstRelativeError());

        HardwareLayerPlan layer = new HardwareLayerPlan("sum", HardwareOp.SDP, List.of("sum"), List.of("a", "b"), "y",
                List.of(0.09f, 0.11f), 0.13f, 4, r, null, p, List.of());
        var registers = new io.github.int8cal.nvdla.program.RegisterEmitter(io.github.int8cal.nvdla.HardwareConfig.NV_SMALL)
                .emit(layer);
        int[] a = {100, -100, 1, 127};
        int[] b = {50, 30, 1, 127};
        var cfg = new io.github.int8cal.nvdla.program.RegisterDecoder(io.github.int8cal.nvdla.HardwareConfig.NV_SMALL)
                .sdp(registers, 4, 1, b);
        var out = io.github.int8cal.nvdla.datapath.SdpStage.run(a, 4, 4, 1, cfg);
        assertArrayEquals(new byte[] {112, 0, 2, 127}, out.values());
        assertEquals(1, out.int8Clipped());
    }

    /** Equal input scales in precise mode: the compiler's structure, one operand, no conversion. */
    @Test
    void preciseSumOfEqualScalesNeedsNoConversion() {
        LayerRequant r = EltwiseRequantizer.plan("sum", 0.1f, 0.13f, false, RequantMode.PRECISE);
        assertEquals(LayerKind.ELTWISE_SUM, r.kind());
        assertEquals(XOpType.ADD, r.program().x1().type());
        assertEquals(0, r.program().x1().aluShift());
        assertNull(r.program().x2());
    }

    /**
     * The operand shift keeps the main input's factor below 2^14 and at most 16: main and operand at
     * one scale -> 2^13 * 1 < 2^14, s = 13; main 1000 times coarser -> 1000 * 2^s < 2^14 -> s = 4;
     * main much finer -> capped at 16.
     */
    @Test
    void operandShiftKeepsTheMainFactorEncodable() {
        assertEquals(13, EltwiseRequantizer.operandShift(1.0, 0.1, 0.1));
        assertEquals(4, EltwiseRequantizer.operandShift(1000.0, 0.1, 0.1));
        assertEquals(16, EltwiseRequantizer.operandShift(1e-6, 0.1, 0.1));
        assertEquals(0, EltwiseRequantizer.operandShift(20000.0, 0.1, 0.1));
    }

    @Test
    void perFilterSuperOpUsesBothConverters() {
        float[][] w = {{1f, -0.5f}, {0.25f, 0.125f}};
        ConvLayerInput conv = new ConvLayerInput("res2b_branch2c", w, 1, new float[] {0.1f, 0.2f}, null, null, false,
                0.05f, 0.03567f, false);
        LayerRequant c = ConvRequantizer.plan(conv, PlanOptions.compiler(WeightScope.PER_FILTER));
        LayerRequant sum = EltwiseRequantizer.plan("res2b", 0.03567f, 0.0984744f, true, RequantMode.COMPILER);
        SdpProgram fused = EltwiseRequantizer.fuseIntoConv(c, sum);
        assertEquals(c.program().x1().mulOperands(), fused.x1().mulOperands());
        assertFalse(fused.x1().relu());
        assertEquals(OperandSource.MEMORY_PER_POINT_INT8, fused.x2().source());
        assertTrue(fused.x2().relu());
        assertEquals(sum.program().outCvt(), fused.outCvt());
    }

    @Test
    void leNetRuntimeInputMatchesTableWhenModelScalesBy1Over256() {
        InputRecipe r = InputRecipe.forNvSmallRuntime("data", 0.007845180109143257f, 0f, 0.00390625f,
                InputRecipe.DEFAULT_TOLERANCE);
        // 255/127/256 = 0.0078433 vs 0.0078452: ratio 0.99976
        assertEquals(0.99976, r.ratio(), 1e-5);
        assertTrue(r.mismatch().isEmpty());
        assertEquals(127, r.quantize(255)); // 255/256/0.0078452 = 126.97
    }

    @Test
    void rawPixelModelMismatchesRuntimeAndGetsACdmaRecipe() {
        InputRecipe r = InputRecipe.forNvSmallRuntime("data", 1.1892667f, 104f, 1f, InputRecipe.DEFAULT_TOLERANCE);
        assertTrue(r.mismatch().isPresent());
        Diagnostic d = r.mismatch().get();
        assertEquals(DiagnosticCode.INPUT_SCALING_MISMATCH, d.code());
        assertEquals("data", d.layer());
        assertEquals(52, r.cdmaCvtOffset()); // round(104 * 127/255) = round(51.8)
        // CDMA converter reproduces the ratio 2.00787/1.18927 = 1.68831 within 2^-15
        assertEquals(r.ratio(), r.cdmaCvt().value(), r.ratio() * Math.scalb(1.0, -15));
        assertEquals(-87, r.quantize(0)); // (0 - 104) / 1.1892667 = -87.45 -> -87
    }
}
