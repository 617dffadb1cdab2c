package io.github.int8cal.nvdla.datapath;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The optimised engine against a direct transcription of the spec formula
 * (docs/nvdla-arithmetic.md#the-convolution-pipeline, long arithmetic,
 * one output at a time) on seeded random layers with stride, dilation, asymmetric padding and a
 * non-zero pad value.
 */
class ConvolutionEngineTest {

    /** acc(k,oy,ox) = sum in'(c, oy*SY + r*DY - PT, ox*SX + s*DX - PL) * w(k,c,r,s), in' = PAD outside. */
    static int[] reference(byte[] f, byte[] w, ConvParams p, int clip) {
        int[] out = new int[p.kernels() * p.outPixels()];
        for (int k = 0; k < p.kernels(); k++) {
            for (int oy = 0; oy < p.outHeight(); oy++) {
                for (int ox = 0; ox < p.outWidth(); ox++) {
                    long acc = 0;
                    for (int c = 0; c < p.inChannels(); c++) {
                        for (int r = 0; r < p.kernelHeight(); r++) {
                            for (int s = 0; s < p.kernelWidth(); s++) {
                                int iy = oy * p.strideY() + r * p.dilationY() - p.padTop();
                                int ix = ox * p.strideX() + s * p.dilationX() - p.padLeft();
                                boolean inside = iy >= 0 && iy < p.inHeight() && ix >= 0 && ix < p.inWidth();
                                long v = inside ? f[(c * p.inHeight() + iy) * p.inWidth() + ix] : p.padValue();
                                acc += v * w[((k * p.inChannels() + c) * p.kernelHeight() + r) * p.kernelWidth() + s];
                            }
                        }
                    }
                    out[(k * p.outHeight() + oy) * p.outWidth() + ox] = Cacc.clipTruncate(acc, clip);
                }
            }
        }
        return out;
    }

    private static byte[] random(Random rnd, int n) {
        byte[] b = new byte[n];
        rnd.nextBytes(b);
        return b;
    }

    @Test
    void matchesTheSpecFormulaOnRandomLayers() {
        Random rnd = new Random(20260101);
        try (ConvolutionEngine engine = new ConvolutionEngine(2)) {
            for (int trial = 0; trial < 40; trial++) {
                int c = 1 + rnd.nextInt(20);
                int h = 1 + rnd.nextInt(9);
                int w = 1 + rnd.nextInt(9);
                int k = 1 + rnd.nextInt(11);
                int r = 1 + rnd.nextInt(4);
                int s = 1 + rnd.nextInt(4);
                int sx = 1 + rnd.nextInt(3);
                int sy = 1 + rnd.nextInt(3);
                int dx = 1 + rnd.nextInt(3);
                int dy = 1 + rnd.nextInt(3);
                int pl = rnd.nextInt(4);
                int pt = rnd.nextInt(4);
                int ow = 1 + rnd.nextInt(6);
                int oh = 1 + rnd.nextInt(6);
                int pad = rnd.nextInt(256) - 128;
                ConvParams p = new ConvParams(w, h, c, s, r, k, sx, sy, dx, dy, pl, pt, ow, oh, pad);
                byte[] f = random(rnd, c * h * w);
                byte[] wt = random(rnd, k * c * r * s);
                int clip = rnd.nextInt(10);
                assertArrayEquals(reference(f, wt, p, clip), engine.convolve(f, wt, p, clip).values(), p.toString());
            }
        }
    }

    @Test
    void staysExactBeyondTheIntSafeReductionLength() {
        // C*R*S = 9 * 16384 > 131071 terms of (-128)*(-128): 2415919104 > 2^31, needs the long path
        int c = 16384;
        ConvParams p = new ConvParams(3, 3, c, 3, 3, 2, 1, 1, 1, 1, 0, 0, 1, 1, 0);
        byte[] f = new byte[c * 9];
        byte[] w = new byte[2 * c * 9];
        java.util.Arrays.fill(f, (byte) -128);
        java.util.Arrays.fill(w, (byte) -128);
        try (ConvolutionEngine engine = new ConvolutionEngine(1)) {
            CaccOutput out = engine.convolve(f, w, p, 1);
            // acc = 147456 * 16384 = 2415919104; / 2 = 1207959552 fits int32
            assertArrayEquals(new int[] {1207959552, 1207959552}, out.values());
            CaccOutput clamped = engine.convolve(f, w, p, 0);
            assertArrayEquals(new int[] {Integer.MAX_VALUE, Integer.MAX_VALUE}, clamped.values());
            assertEquals(2, clamped.saturated());
        }
    }

    @Test
    void longReductionsMatchTheReferenceOnRandomData() {
        Random rnd = new Random(7);
        ConvParams p = new ConvParams(4, 3, 8000, 3, 3, 5, 1, 1, 1, 1, 1, 0, 3, 2, -17);   // 72000 terms: one int chunk
        ConvParams big = new ConvParams(4, 3, 20000, 3, 3, 5, 1, 1, 1, 1, 1, 0, 3, 2, -17); // 180000 terms
        try (ConvolutionEngine engine = new ConvolutionEngine(2)) {
            for (ConvParams q : new ConvParams[] {p, big}) {
                byte[] f = random(rnd, q.inChannels() * q.inHeight() * q.inWidth());
                byte[] w = random(rnd, (int) (q.kernels() * q.reductionLength()));
                assertArrayEquals(reference(f, w, q, 3), engine.convolve(f, w, q, 3).values());
            }
        }
    }

    /**
     * Shapes that take each side of the engine with several tiles and tasks: many pixels and few
     * kernels (vectors over pixels, strided and dilated windows, more than 512 pixels), and more
     * kernels than pixels (vectors over kernels, more than 512 kernels so two kernel tiles, tap
     * count not a multiple of the tap block).
     */
    @Test
    void matchesTheSpecFormulaOnPixelAndKernelVectorShapes() {
        Random rnd = new Random(99);
        ConvParams[] shapes = {
            new ConvParams(40, 30, 6, 3, 3, 7, 1, 1, 1, 1, 1, 1, 40, 30, 5),        // 1200 pixels, 7 kernels
            new ConvParams(21, 19, 9, 3, 2, 5, 2, 1, 2, 1, 2, 0, 10, 18, -3),       // stride 2, dilation 2
            new ConvParams(3, 3, 5, 3, 3, 600, 1, 1, 1, 1, 1, 1, 3, 3, 0),          // 9 pixels, 600 kernels
            new ConvParams(2, 2, 3, 1, 1, 37, 1, 1, 1, 1, 0, 0, 2, 2, 0),           // 3 taps, 37 kernels
        };
        try (ConvolutionEngine engine = new ConvolutionEngine(2)) {
            for (ConvParams p : shapes) {
                byte[] f = random(rnd, p.inChannels() * p.inHeight() * p.inWidth());
                byte[] w = random(rnd, (int) (p.kernels() * p.reductionLength()));
                assertArrayEquals(reference(f, w, p, 2), engine.convolve(f, w, p, 2).values(), p.toString());
            }
        }
    }
}
