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
 * summed in {@code long}, so the result is exact for every legal layer. Work is split over blocks of
 * output pixels on a fixed pool of threads owned by the engine.
 */
public final class ConvolutionEngine implements AutoCloseable {

    /** 131071 * 16384 < 2^31: this many int8 products always fit an int. */
    static final int INT_SAFE_TERMS = 131071;
    /** Output pixels whose windows are gathered together (the im2col block stays in L2). */
    private static final int PIXEL_BLOCK = 16;

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
        int pixels = p.outPixels();
        int blocks = (pixels + PIXEL_BLOCK - 1) / PIXEL_BLOCK;
        // one task per group of pixel blocks; a few per thread to balance the cores
        int groups = Math.min(blocks, threads * 4);
        List<Runnable> tasks = new ArrayList<>();
        for (int g = 0; g < groups; g++) {
            int from = blocks * g / groups * PIXEL_BLOCK;
            int to = Math.min(pixels, blocks * (g + 1) / groups * PIXEL_BLOCK);
            tasks.add(() -> saturated.addAndGet(computePixels(in, w, p, clipTruncate, from, to, out)));
        }
        run(tasks);
        return new CaccOutput(p.kernels(), p.outHeight(), p.outWidth(), out, saturated.get());
    }

    /** Runs independent tasks on the engine's threads and waits for all of them. */
    void runAll(List<Runnable> tasks) {
        run(tasks);
    }

    private void run(List<Runnable> tasks) {
        if (pool == null || tasks.size() == 1) {
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

    /**
     * Output pixels {@code [from, to)} for every kernel: gathers each pixel's window into a row of
     * {@code xt} (im2col, {@code [pixel][c*R*S]} in the weights' order), then takes dot products with
     * four kernels at a time. The inner loop is a plain int multiply-add reduction that C2
     * vectorises; each window row is reused for four kernels. Returns the CACC saturation count.
     */
    private static long computePixels(PaddedInput in, int[] w, ConvParams p, int clip, int from, int to, int[] out) {
        int crs = (int) p.reductionLength();
        int pixels = p.outPixels();
        int kernels = p.kernels();
        int block = Math.min(PIXEL_BLOCK, to - from);
        int[] xt = new int[block * crs];
        int[] sums = new int[block * kernels];
        long[] wide = crs > INT_SAFE_TERMS ? new long[block * kernels] : null;
        long saturated = 0;
        for (int p0 = from; p0 < to; p0 += PIXEL_BLOCK) {
            int n = Math.min(PIXEL_BLOCK, to - p0);
            gatherWindows(in, p, p0, n, xt);
            if (wide == null) {
                dotProducts(xt, w, crs, 0, crs, kernels, n, sums);
                for (int k = 0; k < kernels; k++) {
                    for (int i = 0; i < n; i++) {
                        saturated += emit(sums[i * kernels + k], clip, out, k * pixels + p0 + i);
                    }
                }
                continue;
            }
            // chunks of at most INT_SAFE_TERMS products keep every int partial sum exact
            java.util.Arrays.fill(wide, 0);
            for (int j0 = 0; j0 < crs; j0 += INT_SAFE_TERMS) {
                dotProducts(xt, w, crs, j0, Math.min(crs, j0 + INT_SAFE_TERMS), kernels, n, sums);
                for (int i = 0; i < n * kernels; i++) {
                    wide[i] += sums[i];
                }
            }
            for (int k = 0; k < kernels; k++) {
                for (int i = 0; i < n; i++) {
                    saturated += emit(wide[i * kernels + k], clip, out, k * pixels + p0 + i);
                }
            }
        }
        return saturated;
    }

    /**
     * {@code sums[i * kernels + k] = sum_{j0 <= j < j1} xt[i * crs + j] * w[k * crs + j]}, exact in
     * int when {@code j1 - j0 <= INT_SAFE_TERMS}.
     */
    private static void dotProducts(int[] xt, int[] w, int crs, int j0, int j1, int kernels, int n, int[] sums) {
        int len = j1 - j0;
        int k = 0;
        for (; k + 3 < kernels; k += 4) {
            int b0 = k * crs + j0;
            int b1 = b0 + crs;
            int b2 = b1 + crs;
            int b3 = b2 + crs;
            for (int i = 0; i < n; i++) {
                int xb = i * crs + j0;
                int s0 = 0;
                int s1 = 0;
                int s2 = 0;
                int s3 = 0;
                for (int j = 0; j < len; j++) {
                    int x = xt[xb + j];
                    s0 += w[b0 + j] * x;
                    s1 += w[b1 + j] * x;
                    s2 += w[b2 + j] * x;
                    s3 += w[b3 + j] * x;
                }
                sums[i * kernels + k] = s0;
                sums[i * kernels + k + 1] = s1;
                sums[i * kernels + k + 2] = s2;
                sums[i * kernels + k + 3] = s3;
            }
        }
        for (; k < kernels; k++) {
            int b0 = k * crs + j0;
            for (int i = 0; i < n; i++) {
                int xb = i * crs + j0;
                int s0 = 0;
                for (int j = 0; j < len; j++) {
                    s0 += w[b0 + j] * xt[xb + j];
                }
                sums[i * kernels + k] = s0;
            }
        }
    }

    /** CACC for one accumulator: stores the int32 result, returns 1 if it saturated. */
    private static int emit(long acc, int clip, int[] out, int index) {
        out[index] = Cacc.clipTruncate(acc, clip);
        return Cacc.saturates(acc, clip) ? 1 : 0;
    }

    /** im2col for pixels {@code [p0, p0 + n)}: row i holds the window of pixel p0 + i. */
    private static void gatherWindows(PaddedInput in, ConvParams p, int p0, int n, int[] xt) {
        int crs = (int) p.reductionLength();
        int ow = p.outWidth();
        int kh = p.kernelHeight();
        int kw = p.kernelWidth();
        int dx = p.dilationX();
        int[] data = in.data;
        for (int i = 0; i < n; i++) {
            int oy = (p0 + i) / ow;
            int ox = (p0 + i) % ow;
            int dst = i * crs;
            for (int c = 0; c < p.inChannels(); c++) {
                for (int r = 0; r < kh; r++) {
                    int src = in.rowStart(c, oy * p.strideY() + r * p.dilationY()) + ox * p.strideX();
                    for (int s = 0; s < kw; s++) {
                        xt[dst++] = data[src + s * dx];
                    }
                }
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
