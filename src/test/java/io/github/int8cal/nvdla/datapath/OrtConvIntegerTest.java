package io.github.int8cal.nvdla.datapath;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The ONNX Runtime accumulation backend against the pure-Java engine (the reference, checked by
 * hand in DatapathStagesTest and against the hardware traces), bit for bit, on randomized layers:
 * strides, dilations, asymmetric padding, 1x1 to 5x5 kernels, every CLIP_TRUNCATE class.
 */
class OrtConvIntegerTest {

    @Test
    void ortSumsEqualTheJavaEngineOnRandomizedLayers() {
        Random rnd = new Random(5);
        try (ConvolutionEngine ort = new ConvolutionEngine(2);
                ConvolutionEngine plain = new ConvolutionEngine(2, false)) {
            for (int trial = 0; trial < 60; trial++) {
                int c = 1 + rnd.nextInt(trial % 10 == 0 ? 300 : 24);
                int k = 1 + rnd.nextInt(40);
                int r = 1 + rnd.nextInt(5);
                int s = 1 + rnd.nextInt(5);
                int h = r + rnd.nextInt(14);
                int w = s + rnd.nextInt(14);
                int stride = 1 + rnd.nextInt(2);
                int dil = 1 + rnd.nextInt(2);
                int pad = rnd.nextInt(3);
                int outH = (h + 2 * pad - dil * (r - 1) - 1) / stride + 1;
                int outW = (w + 2 * pad - dil * (s - 1) - 1) / stride + 1;
                if (outH < 1 || outW < 1) {
                    continue;
                }
                // bottom/right padding implied by the output size: here at most pad (often less)
                ConvParams p = new ConvParams(w, h, c, s, r, k, stride, stride, dil, dil, pad, pad, outW, outH, 0);
                byte[] x = new byte[c * h * w];
                byte[] wt = new byte[(int) (k * p.reductionLength())];
                rnd.nextBytes(x);
                rnd.nextBytes(wt);
                if (trial % 7 == 0) {
                    java.util.Arrays.fill(x, (byte) -128);     // extreme sums
                    java.util.Arrays.fill(wt, (byte) -128);
                }
                int clip = switch (trial % 4) {
                    case 0 -> 0;
                    case 1 -> rnd.nextInt(17);
                    case 2 -> 16 + rnd.nextInt(16);
                    default -> 1 + rnd.nextInt(8);
                };
                assertTrue(ort.accumulatesWithOrt(p), "ONNX Runtime loads here and the layer is eligible: " + p);
                CaccOutput a = ort.convolve(x, wt, p, clip);
                CaccOutput b = plain.convolve(x, wt, p, clip);
                assertArrayEquals(b.values(), a.values(), "trial " + trial + " clip " + clip + " " + p);
                assertEquals(b.saturated(), a.saturated());
            }
        }
    }

    @Test
    void layersOrtCannotComputeExactlyStayOnTheJavaPath() {
        assertFalse(OrtConvInteger.supports(ConvParams.of(8, 5, 5, 4, 3, 3, 1, 1, 1, -64)), "pad value -64");
        assertFalse(OrtConvInteger.supports(ConvParams.of(16384, 3, 3, 1, 3, 3, 1, 1, 1, 0)),
                "C*R*S = 147456 may overflow int32");
        // output cropped to 2x2 where the 8x8 input allows 6x6: ONNX cannot express it
        assertFalse(OrtConvInteger.supports(new ConvParams(8, 8, 1, 3, 3, 1, 1, 1, 1, 1, 0, 0, 2, 2, 0)));
        assertTrue(OrtConvInteger.supports(ConvParams.of(64, 56, 56, 64, 3, 3, 1, 1, 1, 0)));
    }
}
