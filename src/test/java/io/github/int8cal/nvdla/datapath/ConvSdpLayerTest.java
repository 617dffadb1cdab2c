package io.github.int8cal.nvdla.datapath;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.int8cal.fixedpoint.Rounding;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The tensor path: a requantizing layer (per-channel X1 scale, ReLU, output converter). */
class ConvSdpLayerTest {

    @Test
    void tensorPathFollowsTheSpecFormulaInBothLayouts() {
        Random rnd = new Random(11);
        ConvParams p = ConvParams.of(16, 9, 7, 12, 3, 3, 2, 1, 1, -5);
        byte[] planar = new byte[16 * 9 * 7];
        rnd.nextBytes(planar);
        byte[] weights = new byte[(int) (p.kernels() * p.reductionLength())];
        rnd.nextBytes(weights);
        int[] scale = new int[p.kernels()];
        for (int k = 0; k < scale.length; k++) {
            scale[k] = 100 + rnd.nextInt(30000);
        }
        int shift = 14;
        OutputConverter cvt = new OutputConverter(-3, 3, 2);
        ConvLayerConfig layer = new ConvLayerConfig(p, CdmaInputConverter.DISABLED, 2,
                SdpConfig.of(XUnit.multiply(new SdpOperand.PerKernel(scale), shift, true), cvt));

        // spec formula, one element at a time: CACC, X1 = relu(sat32(rnd(v * scale, shift))), CVT
        int[] cacc = ConvolutionEngineTest.reference(planar, weights, p, 2);
        byte[] expected = new byte[cacc.length];
        for (int k = 0; k < p.kernels(); k++) {
            for (int i = 0; i < p.outPixels(); i++) {
                long v = cacc[k * p.outPixels() + i];
                long x = Math.max(0, Rounding.saturate(Rounding.shiftRightRoundHalfAwayFromZero(v * scale[k], shift), 32));
                long t = Rounding.saturate(Rounding.shiftRightRoundHalfAwayFromZero((x + 3) * 3, 2), 17);
                expected[k * p.outPixels() + i] = (byte) Rounding.saturate(t, 8);
            }
        }
        try (ConvolutionEngine engine = new ConvolutionEngine(2)) {
            LayerResult nchw = ConvSdpLayer.run(engine, new Int8Tensor(16, 9, 7, TensorLayout.NCHW, planar), weights, layer);
            assertArrayEquals(expected, nchw.output().data());
            assertEquals(TensorLayout.NCHW, nchw.output().layout());
            Int8Tensor nhwcIn = Int8Tensor.fromPlanar(planar, 16, 9, 7, TensorLayout.NHWC);
            LayerResult nhwc = ConvSdpLayer.run(engine, nhwcIn, weights, layer);
            assertEquals(TensorLayout.NHWC, nhwc.output().layout());
            assertArrayEquals(expected, nhwc.output().planar());
            assertEquals(nchw.int8Clipped(), nhwc.int8Clipped());
        }
    }
}
