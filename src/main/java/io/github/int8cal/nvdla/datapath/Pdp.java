package io.github.int8cal.nvdla.datapath;

import io.github.int8cal.fixedpoint.Rounding;

/**
 * PDP pooling on int8 data (docs/nvdla-arithmetic.md#pdp-pooling, cmod {@code NV_NVDLA_pdp.cpp}). Max pooling
 * is exact and ignores padding. Average pooling sums the window (padding contributes 0, the pad
 * value nvdla_compiler programs) and scales in two steps with the firmware's reciprocals,
 * {@code t = rhaz(sum * recip(kw) / 2^16)}, {@code out = rhaz(t * recip(kh) / 2^16)}: the divisor
 * is always the full kernel, even where a window covers padding (unlike ONNX's default
 * {@code count_include_pad=0}); the verification shows the difference at the borders.
 */
public final class Pdp {

    private Pdp() {
    }

    /**
     * The firmware's {@code recip_kernel_size} for int8 ({@code kmd/firmware/pdp.c}): 0x10000,
     * 0x8000, 0x5555, 0x4000, 0x3333, 0x2aaa, 0x2492, 0x2000 for kernels 1..8, i.e.
     * {@code floor(2^16 / k)}. The PDP takes kernels up to 8; larger ones (global pooling of big
     * planes, which the compiler would have to split) are modelled with the same formula.
     */
    public static long reciprocal(int kernel) {
        return 0x10000L / kernel;
    }

    /**
     * Pools {@code planes} planes of {@code h x w} int8 values (planar, plane after plane) into
     * {@code oh x ow} each.
     */
    public static byte[] pool(byte[] in, int planes, int h, int w, PoolingWindow win, int oh, int ow) {
        if (in.length != (long) planes * h * w) {
            throw new IllegalArgumentException("PDP input holds " + in.length + " values, " + planes + " planes of "
                    + h + "x" + w + " need " + (long) planes * h * w);
        }
        boolean max = win.max();
        int kh = win.kernelH();
        int kw = win.kernelW();
        int sh = win.strideH();
        int sw = win.strideW();
        int pt = win.padTop();
        int pl = win.padLeft();
        long recipW = reciprocal(kw);
        long recipH = reciprocal(kh);
        byte[] out = new byte[planes * oh * ow];
        for (int plane = 0; plane < planes; plane++) {
            int ib = plane * h * w;
            int ob = plane * oh * ow;
            for (int oy = 0; oy < oh; oy++) {
                int y0 = oy * sh - pt;
                int ys = Math.max(y0, 0);
                int ye = Math.min(y0 + kh, h);
                for (int ox = 0; ox < ow; ox++) {
                    int x0 = ox * sw - pl;
                    int xs = Math.max(x0, 0);
                    int xe = Math.min(x0 + kw, w);
                    long v;
                    if (max) {
                        v = Long.MIN_VALUE;
                        for (int y = ys; y < ye; y++) {
                            for (int x = xs; x < xe; x++) {
                                v = Math.max(v, in[ib + y * w + x]);
                            }
                        }
                        if (v == Long.MIN_VALUE) {
                            v = 0; // window entirely in padding
                        }
                    } else {
                        long sum = 0;
                        for (int y = ys; y < ye; y++) {
                            for (int x = xs; x < xe; x++) {
                                sum += in[ib + y * w + x];
                            }
                        }
                        long t = Rounding.shiftRightRoundHalfAwayFromZero(sum * recipW, 16);
                        v = Rounding.shiftRightRoundHalfAwayFromZero(t * recipH, 16);
                    }
                    out[ob + oy * ow + ox] = (byte) Rounding.saturate(v, 8);
                }
            }
        }
        return out;
    }
}
