package io.github.int8cal.plan;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.int8cal.fixedpoint.CompilerScaleShift;
import io.github.int8cal.fixedpoint.WeightScope;
import org.junit.jupiter.api.Test;

class ConvRequantizerTest {

    private static final float[][] W = {{1f, -2f}, {0.5f, 0.25f}};
    private static final float[] B = {0.5f, -0.25f};
    /** eps 0 and variance 4 so that sigmaInv = 0.5 exactly. */
    private static final BatchNormParams BN = new BatchNormParams(new float[] {0.1f, 0.2f}, new float[] {4f, 1f}, 0f);
    private static final ScaleParams SCALE = new ScaleParams(new float[] {2f, 3f}, new float[] {1f, 0f});

    private static boolean has(LayerRequant r, DiagnosticCode code, Severity severity) {
        return r.diagnostics().stream().anyMatch(d -> d.code() == code && d.severity() == severity);
    }

    @Test
    void foldsBatchNormAndScaleIntoWeightsAndBias() {
        ChainFolding.FoldedConv f = ChainFolding.foldIntoConv(W, B, BN, SCALE);
        // channel 0: W' = (W * 0.5) * 2 = W; b' = ((0.5 - 0.1) * 0.5) * 2 + 1 = 1.4
        assertEquals(1f, f.weights()[0][0]);
        assertEquals(-2f, f.weights()[0][1]);
        assertEquals(1.4f, f.bias()[0]);
        // channel 1: sigmaInv 1, gamma 3: W' = 1.5, 0.75; b' = (-0.25 - 0.2) * 3 + 0 = -1.35
        assertEquals(1.5f, f.weights()[1][0]);
        assertEquals((-0.25f - 0.2f) * 3f, f.bias()[1]);
    }

    @Test
    void batchNormOpKeepsFactorAndPreSigmaAddend() {
        ChainFolding.BatchNormOp op = ChainFolding.toBatchNormOp(2, B, BN, SCALE);
        assertEquals(1f, op.factor()[0]); // 0.5 * 2
        assertEquals(1.4f, op.addend()[0]); // (0.5 - 0.1) + 1 / 1
        assertEquals(3f, op.factor()[1]);
    }

    @Test
    void compilerKeepsBatchNormOpAfterImageConvAndFoldsOtherwise() {
        ConvLayerInput image = new ConvLayerInput("conv1", W, 1, B, BN, SCALE, true, 0.01f, 0.02f, true);
        LayerRequant img = ConvRequantizer.plan(image, PlanOptions.compiler(WeightScope.PER_KERNEL));
        assertEquals(LayerKind.CONV_BATCHNORM, img.kind());
        assertEquals(XOpType.BOTH, img.program().x1().type());
        assertEquals(CvtProgram.IDENTITY, img.program().outCvt());
        // r[k] = ((Si * v[k]) / So) * Sw, Sw = 2/127 from the raw weights
        float sw = 2f / 127f;
        for (int k = 0; k < 2; k++) {
            float r = ((0.01f * img.bnFactors()[k]) / 0.02f) * sw;
            int shift = CompilerScaleShift.encode(((0.01f * 3f) / 0.02f) * sw).value().shift();
            assertEquals(CompilerScaleShift.encode(r, shift).value().multiplier(), img.program().x1().mulOperands()[k]);
        }
        ConvLayerInput feature = new ConvLayerInput("conv2", W, 1, B, BN, SCALE, true, 0.01f, 0.02f, false);
        LayerRequant fm = ConvRequantizer.plan(feature, PlanOptions.compiler(WeightScope.PER_KERNEL));
        assertEquals(LayerKind.CONV_BIAS, fm.kind());
        assertEquals(XOpType.ADD, fm.program().x1().type());
        assertEquals(2f / 127f, fm.weightScales()[0]); // max |W'| = |-2| (channel 0: (-2 * 0.5) * 2)
    }

    @Test
    void zeroGammaAfterImageConvIsAnErrorInCompilerMode() {
        ScaleParams pruned = new ScaleParams(new float[] {0f, 3f}, new float[] {1f, 0f});
        ConvLayerInput in = new ConvLayerInput("conv1", W, 1, B, BN, pruned, false, 0.01f, 0.02f, true);
        LayerRequant r = ConvRequantizer.plan(in, PlanOptions.compiler(WeightScope.PER_FILTER));
        assertTrue(has(r, DiagnosticCode.NONPOSITIVE_BN_FACTOR, Severity.ERROR), r::explain);
        assertTrue(r.rejected());
    }

    @Test
    void invalidTableScaleIsRejectedWithLayerName() {
        ConvLayerInput in = new ConvLayerInput("conv7", W, 1, B, null, null, false, Float.NaN, 0f, false);
        LayerRequant r = ConvRequantizer.plan(in, PlanOptions.precise(WeightScope.PER_FILTER));
        assertNull(r.program());
        assertEquals(2, r.diagnostics().stream().filter(d -> d.code() == DiagnosticCode.INVALID_SCALE
                && d.layer().equals("conv7")).count());
    }

    @Test
    void hugeBiasUsesCaccClipInPreciseMode() {
        // b / (Si * Sw) = 4000 / (1e-4 * 1/127) = 5.08e9 > 2^31; / 4 = 1.27e9 fits -> clip 2
        float[][] w = {{1f}};
        ConvLayerInput in = new ConvLayerInput("fc", w, 1, new float[] {4000f}, null, null, false, 1e-4f, 0.5f, false);
        LayerRequant p = ConvRequantizer.plan(in, PlanOptions.precise(WeightScope.PER_KERNEL));
        assertEquals(2, p.program().convCore().caccClipTruncate());
        assertTrue(p.worstRelativeError() <= Math.scalb(1.0, -15), p::explain);
        long applied = p.aluOperand().applied(0);
        double expectedUnits = 4000.0 / ((double) 1e-4f * (1f / 127f)) / 4; // accumulator divided by 2^2
        assertEquals(expectedUnits, applied, expectedUnits * 1e-4);
        LayerRequant c = ConvRequantizer.plan(in, PlanOptions.compiler(WeightScope.PER_KERNEL));
        assertTrue(has(c, DiagnosticCode.BIAS_OVERFLOW, Severity.WARNING), c::explain);
    }

    @Test
    void reportsBitsLostPerChannel() {
        float[][] w = {{1f}, {0.001f}};
        ConvLayerInput in = new ConvLayerInput("c", w, 1, null, null, null, false, 0.01f, 0.01f, false);
        LayerRequant r = ConvRequantizer.plan(in, PlanOptions.compiler(WeightScope.PER_FILTER));
        // ratio 1000: channel 1 keeps 15 - 10 = 5 bits
        assertEquals(15, r.mantissaBits()[0]);
        assertEquals(5, r.mantissaBits()[1]);
        assertTrue(has(r, DiagnosticCode.MANTISSA_BITS_LOST, Severity.WARNING));
        LayerRequant p = ConvRequantizer.plan(in, PlanOptions.precise(WeightScope.PER_FILTER));
        assertEquals(15, p.mantissaBits()[1]);
        assertTrue(p.worstRelativeError() < r.worstRelativeError());
    }
}
