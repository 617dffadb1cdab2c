package io.github.int8cal.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.int8cal.fixedpoint.CompilerScaleShift;
import io.github.int8cal.fixedpoint.WeightScope;
import org.junit.jupiter.api.Test;

class EltwiseAndInputTest {

    @Test
    void compilerOverwritesInputZeroAndWarnsAboutClipping() {
        // nvdla-compiler.md §0.0 item 3: a ReLU calibrated at 0.08697 runs at 0.03567, clips at 4.5 not 11.0
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
