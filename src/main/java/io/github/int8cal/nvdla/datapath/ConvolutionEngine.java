package io.github.int8cal.nvdla.datapath;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;

/**
 * CSC + CMAC + CACC for INT8 direct convolution: the windowing with stride, dilation and pad
 * value (§3.2), exact int8 x int8 accumulation (§3.3) and the CACC clip truncate with int32
 * saturation (§3.4). The one implementation used by both the trace emulator and the tensor path.
 *
 * <p>Products are accumulated in {@code int}: |int8 x int8| is at most 2^14, so up to
 * {@value #INT_SAFE_TERMS} terms cannot overflow; longer reductions (C*R*S beyond that) are
 * flushed into {@code long} partial sums, so the result is exact for every legal layer. Work is
 * split over output rows and groups of kernels on a fixed pool of threads owned by the engine.
 */
public final class ConvolutionEngine implements AutoCloseable {

    /** 131071 * 16384 < 2^31: this many int8 products always fit an int. */
    static final int INT_SAFE_TERMS = 131071;
    private static final int KERNEL_BLOCK = 4;

    private final int threads;
    private final ExecutorService pool;

    /** An engine with {@code threads} worker threads (1 runs in the caller's thread). */
    public ConvolutionEngine(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1");
        }
        this.threads = threads;
        this.pool = threads == 1 ? null : Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "nvdla-int8-conv");
            t.setDaemon(true);
            return t;
        });
    }

    public int threads() {
        return threads;
    }

    /**
     * Convolves {@code feature} (int8, planar {@code [c][y][x]}, already through the CDMA
     * converter) with {@code weights} (int8, {@code [k][c][r][s]}) and applies the CACC stage.
     */
    public CaccOutput convolve(byte[] feature, byte[] weights, ConvParams p, int clipTruncate) {
        if (feature.length != p.inChannels() * p.inHeight() * p.inWidth()) {
            throw new IllegalArgumentException("feature has " + feature.length + " bytes, expected C*H*W = "
                    + (long) p.inChannels() * p.inHeight() * p.inWidth());
        }
        if (weights.length != p.kernels() * p.reductionLength()) {
            throw new IllegalArgumentException("weights have " + weights.length + " bytes, expected K*C*R*S = "
                    + p.kernels() * p.reductionLength());
        }
        if (clipTruncate < 0 || clipTruncate > 31) {
            throw new IllegalArgumentException("CLIP_TRUNCATE is a 5-bit field, got " + clipTruncate);
        }
        PaddedInput in = PaddedInput.of(feature, p);
        int[] w = new int[weights.length];
        for (int i = 0; i < w.length; i++) {
            w[i] = weights[i];
        }
        int[] out = new int[p.kernels() * p.outPixels()];
        AtomicLong saturated = new AtomicLong();
        int kBlocks = (p.kernels() + KERNEL_BLOCK - 1) / KERNEL_BLOCK;
        List<Runnable> tasks = new ArrayList<>();
        // one task per (output row, group of kernel blocks); enough tasks to balance two cores
        int groups = Math.max(1, Math.min(kBlocks, (threads * 4 + p.outHeight() - 1) / p.outHeight()));
        for (int oy = 0; oy < p.outHeight(); oy++) {
            for (int g = 0; g < groups; g++) {
                int fromBlock = kBlocks * g / groups;
                int toBlock = kBlocks * (g + 1) / groups;
                int row = oy;
                tasks.add(() -> saturated.addAndGet(
                        computeRow(in, w, p, clipTruncate, row, fromBlock * KERNEL_BLOCK,
                                Math.min(p.kernels(), toBlock * KERNEL_BLOCK), out)));
            }
        }
        run(tasks);
        return new CaccOutput(p.kernels(), p.outHeight(), p.outWidth(), out, saturated.get());
    }

    private void run(List<Runnable> tasks) {
        if (pool == null) {
            tasks.forEach(Runnable::run);
            return;
        }
        List<Future<?>> futures = new ArrayList<>(tasks.size());
        for (Runnable t : tasks) {
            futures.add(pool.submit(t));
        }
        try {
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            futures.forEach(f -> f.cancel(true));
            throw new IllegalStateException("convolution interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("convolution task failed: " + e.getCause(), e.getCause());
        }
    }

    /** Output row {@code oy} for kernels {@code [k0, k1)}; returns the CACC saturation count. */
    private static long computeRow(PaddedInput in, int[] w, ConvParams p, int clip, int oy, int k0, int k1,
            int[] out) {
        int ow = p.outWidth();
        int sx = p.strideX();
        int rs = p.kernelHeight() * p.kernelWidth();
        int crs = p.inChannels() * rs;
        boolean wide = crs > INT_SAFE_TERMS;
        int[] gathered = sx == 1 ? null : new int[ow];
        int[] a0 = new int[ow];
        int[] a1 = new int[ow];
        int[] a2 = new int[ow];
        int[] a3 = new int[ow];
        long[] wideSum = wide ? new long[KERNEL_BLOCK * ow] : null;
        long saturated = 0;
        for (int kb = k0; kb < k1; kb += KERNEL_BLOCK) {
            int n = Math.min(KERNEL_BLOCK, k1 - kb);
            int terms = 0;
            for (int c = 0; c < p.inChannels(); c++) {
                if (wide && terms + rs > INT_SAFE_TERMS) {
                    flush(a0, a1, a2, a3, wideSum, ow);
                    terms = 0;
                }
                terms += rs;
                for (int r = 0; r < p.kernelHeight(); r++) {
                    int rowStart = in.rowStart(c, oy * p.strideY() + r * p.dilationY());
                    for (int s = 0; s < p.kernelWidth(); s++) {
                        int[] src;
                        int start;
                        int x0 = rowStart + s * p.dilationX();
                        if (sx == 1) {
                            src = in.data;
                            start = x0;
                        } else {
                            for (int ox = 0; ox < ow; ox++) {
                                gathered[ox] = in.data[x0 + ox * sx];
                            }
                            src = gathered;
                            start = 0;
                        }
                        int j = (c * p.kernelHeight() + r) * p.kernelWidth() + s;
                        int w0 = w[kb * crs + j];
                        int w1 = n > 1 ? w[(kb + 1) * crs + j] : 0;
                        int w2 = n > 2 ? w[(kb + 2) * crs + j] : 0;
                        int w3 = n > 3 ? w[(kb + 3) * crs + j] : 0;
                        for (int ox = 0; ox < ow; ox++) {
                            int v = src[start + ox];
                            a0[ox] += w0 * v;
                            a1[ox] += w1 * v;
                            a2[ox] += w2 * v;
                            a3[ox] += w3 * v;
                        }
                    }
                }
            }
            if (wide) {
                flush(a0, a1, a2, a3, wideSum, ow);
            }
            int[][] accs = {a0, a1, a2, a3};
            for (int i = 0; i < n; i++) {
                int base = (kb + i) * p.outPixels() + oy * ow;
                for (int ox = 0; ox < ow; ox++) {
                    long acc = wide ? wideSum[i * ow + ox] : accs[i][ox];
                    if (Cacc.saturates(acc, clip)) {
                        saturated++;
                    }
                    out[base + ox] = Cacc.clipTruncate(acc, clip);
                }
            }
            java.util.Arrays.fill(a0, 0);
            java.util.Arrays.fill(a1, 0);
            java.util.Arrays.fill(a2, 0);
            java.util.Arrays.fill(a3, 0);
            if (wide) {
                java.util.Arrays.fill(wideSum, 0);
            }
        }
        return saturated;
    }

    private static void flush(int[] a0, int[] a1, int[] a2, int[] a3, long[] wideSum, int ow) {
        int[][] accs = {a0, a1, a2, a3};
        for (int i = 0; i < accs.length; i++) {
            for (int ox = 0; ox < ow; ox++) {
                wideSum[i * ow + ox] += accs[i][ox];
                accs[i][ox] = 0;
            }
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }

    /**
     * The input widened to int and surrounded by the pad value, so that every window position the
     * convolution reads exists: padded coordinate = input coordinate + (padTop, padLeft).
     */
    static final class PaddedInput {
        final int[] data;
        final int height;
        final int width;

        private PaddedInput(int[] data, int height, int width) {
            this.data = data;
            this.height = height;
            this.width = width;
        }

        static PaddedInput of(byte[] feature, ConvParams p) {
            int hp = (p.outHeight() - 1) * p.strideY() + (p.kernelHeight() - 1) * p.dilationY() + 1;
            int wp = (p.outWidth() - 1) * p.strideX() + (p.kernelWidth() - 1) * p.dilationX() + 1;
            long size = (long) p.inChannels() * hp * wp;
            if (size > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("padded input of " + size + " elements is too large");
            }
            int[] data = new int[(int) size];
            java.util.Arrays.fill(data, p.padValue());
            for (int c = 0; c < p.inChannels(); c++) {
                for (int py = 0; py < hp; py++) {
                    int iy = py - p.padTop();
                    if (iy < 0 || iy >= p.inHeight()) {
                        continue;
                    }
                    int src = (c * p.inHeight() + iy) * p.inWidth();
                    int dst = (c * hp + py) * wp;
                    for (int px = 0; px < wp; px++) {
                        int ix = px - p.padLeft();
                        if (ix >= 0 && ix < p.inWidth()) {
                            data[dst + px] = feature[src + ix];
                        }
                    }
                }
            }
            return new PaddedInput(data, hp, wp);
        }

        int rowStart(int c, int py) {
            return (c * height + py) * width;
        }
    }
}
