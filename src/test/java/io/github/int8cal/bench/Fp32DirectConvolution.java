package io.github.int8cal.bench;

import io.github.int8cal.nvdla.datapath.ConvParams;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

/**
 * The baseline: the same convolution in plain fp32 Java loops (zero-padded input, then for every
 * output channel and every weight an axpy over an output row, which C2 vectorises), split over
 * output channels on the same number of threads as the int8 engine.
 */
final class Fp32DirectConvolution {

    private final ConvParams p;
    private final float[] padded;
    private final float[] weights;
    private final int hp;
    private final int wp;

    Fp32DirectConvolution(ConvParams p, byte[] feature, byte[] weightsKcrs) {
        this.p = p;
        this.hp = (p.outHeight() - 1) * p.strideY() + (p.kernelHeight() - 1) * p.dilationY() + 1;
        this.wp = (p.outWidth() - 1) * p.strideX() + (p.kernelWidth() - 1) * p.dilationX() + 1;
        this.padded = new float[p.inChannels() * hp * wp];
        for (int c = 0; c < p.inChannels(); c++) {
            for (int y = 0; y < p.inHeight(); y++) {
                for (int x = 0; x < p.inWidth(); x++) {
                    int py = y + p.padTop();
                    int px = x + p.padLeft();
                    if (py < hp && px < wp) {
                        padded[(c * hp + py) * wp + px] = feature[(c * p.inHeight() + y) * p.inWidth() + x];
                    }
                }
            }
        }
        this.weights = new float[weightsKcrs.length];
        for (int i = 0; i < weights.length; i++) {
            weights[i] = weightsKcrs[i];
        }
    }

    float[] run(ExecutorService pool, int threads) throws InterruptedException, ExecutionException {
        float[] out = new float[p.kernels() * p.outPixels()];
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int k0 = p.kernels() * t / threads;
            int k1 = p.kernels() * (t + 1) / threads;
            futures.add(pool.submit(() -> channels(k0, k1, out)));
        }
        for (Future<?> f : futures) {
            f.get();
        }
        return out;
    }

    private void channels(int k0, int k1, float[] out) {
        int ow = p.outWidth();
        int sx = p.strideX();
        for (int k = k0; k < k1; k++) {
            for (int c = 0; c < p.inChannels(); c++) {
                for (int r = 0; r < p.kernelHeight(); r++) {
                    for (int s = 0; s < p.kernelWidth(); s++) {
                        float w = weights[((k * p.inChannels() + c) * p.kernelHeight() + r) * p.kernelWidth() + s];
                        for (int oy = 0; oy < p.outHeight(); oy++) {
                            int src = (c * hp + oy * p.strideY() + r * p.dilationY()) * wp + s * p.dilationX();
                            int dst = (k * p.outHeight() + oy) * ow;
                            if (sx == 1) {                   // unit stride: C2 vectorises this axpy
                                for (int ox = 0; ox < ow; ox++) {
                                    out[dst + ox] += w * padded[src + ox];
                                }
                            } else {
                                for (int ox = 0; ox < ow; ox++) {
                                    out[dst + ox] += w * padded[src + ox * sx];
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}
