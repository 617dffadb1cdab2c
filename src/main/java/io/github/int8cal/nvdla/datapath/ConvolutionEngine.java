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
 * value (docs/nvdla-arithmetic.md#csc-window-and-padding), exact int8 x int8 accumulation and the
 * CACC clip truncate with int32 saturation (docs/nvdla-arithmetic.md#cmac-and-cacc). The one implementation used by
 * both the trace emulator and the tensor path.
 *
 * <p>Products are accumulated in {@code int}: |int8 x int8| is at most 2^14, so up to
 * {@value #INT_SAFE_TERMS} terms cannot overflow; longer reductions (C*R*S beyond that) are
 * summed in {@code long}, so the result is exact for every legal layer.
 *
 * <p>The layer is computed as a matrix product whose inner loop C2 (JDK 17) vectorises into AVX2
 * {@code vpmulld/vpaddd}: int rows indexed by the same loop variable, four per pass, times scalar
 * operands. The vector runs over output pixels (im2col rows, scalar weights) or, when the layer has
 * more kernels than pixels, over kernels (transposed weight rows, scalar window values). Work is
 * split over pixel tiles and kernel groups on a fixed pool of threads owned by the engine.
 *
 * <p>Where ONNX Runtime loads and the layer allows exact int32 sums (pad value 0, C*R*S at most
 * {@value #INT_SAFE_TERMS}, an output size ONNX can express), the sums come from its
 * {@code ConvInteger} ({@link OrtConvInteger}) and only CACC runs here; the Java product above is
 * the fallback and the reference ({@code OrtConvIntegerTest} compares them bit for bit).
 *
 * <p>Round-2 measurements (per CPU-second, 2 threads, shared 2-core EPYC, ResNet-50 shapes):
 * ORT ConvInteger sums 33-50 GMAC/CPU-s against 6-13 for the Java product and 6-12 for torch
 * qnnpack, with identical int32 accumulators on all nine shapes. Tried and not kept for the Java
 * path: kernel tiles of 64 or 256 lanes on the small-spatial layers (fewer passes over the
 * transposed weights, but C2 runs short loops largely in its post-loop: slower or equal);
 * two pixels per pass sharing the weight rows (vectorised only in some compilations, +10% at
 * best); two taps or four pixels per pass (scalar). C2 (JDK 17) also leaves loops scalar when they
 * read {@code a[base + i]} or use {@code Math.max/min}: copy to zero-based rows, use bit tricks.
 */
public final class ConvolutionEngine implements AutoCloseable {

    /** 131071 * 16384 < 2^31: this many int8 products always fit an int. */
    static final int INT_SAFE_TERMS = 131071;

    private final int threads;
    private final ExecutorService pool;

    /** ONNX Runtime's ConvInteger for the sums where it is exact; null: the Java path only. */
    private final OrtConvInteger ort;

    /**
     * An engine with {@code threads} worker threads (1 runs in the caller's thread), accumulating
     * through ONNX Runtime where it loads and the layer allows it (see {@link OrtConvInteger}).
     */
    public ConvolutionEngine(int threads) {
        this(threads, true);
    }

    /** An engine that never uses ONNX Runtime: every layer on the pure-Java path. */
    public static ConvolutionEngine javaOnly(int threads) {
        return new ConvolutionEngine(threads, false);
    }

    /** As {@link #ConvolutionEngine(int)}; {@code useOrt = false} keeps every layer on the Java path. */
    ConvolutionEngine(int threads, boolean useOrt) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1");
        }
        this.threads = threads;
        this.pool = threads == 1 ? null : Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "nvdla-int8-conv");
            t.setDaemon(true);
            return t;
        });
        this.ort = useOrt ? OrtConvInteger.tryCreate(threads) : null;
    }

    /** True when this layer's sums come from ONNX Runtime (loaded here and exact for the layer). */
    public boolean accumulatesWithOrt(ConvParams p) {
        return ort != null && OrtConvInteger.supports(p);
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
        if (ort != null && OrtConvInteger.supports(p)) {
            int[] out = new int[p.kernels() * p.outPixels()];
            // the copy out of ORT's buffer and the CACC rounding in one pass, split over the threads
            boolean done = ort.accumulate(feature, weights, p, acc -> {
                List<Runnable> parts = new ArrayList<>();
                // small outputs in one task: handing a few microseconds of work to the pool costs more
                int n = Math.max(1, Math.min(threads * TASKS_PER_THREAD, out.length / MIN_VALUES_PER_COPY_TASK));
                for (int t = 0; t < n; t++) {
                    int from = split(out.length, n, t);
                    int to = split(out.length, n, t + 1);
                    parts.add(() -> {
                        acc.get(from, out, from, to - from);
                        clipTruncate(out, from, to, p, clipTruncate);
                    });
                }
                run(parts);
            });
            if (done) {
                return new CaccOutput(p.kernels(), p.outHeight(), p.outWidth(), out, 0);
            }
        }
        Layer layer = new Layer(PaddedInput.of(feature, p), weights, p, clipTruncate);
        int[] out = new int[p.kernels() * p.outPixels()];
        AtomicLong saturated = new AtomicLong();
        List<Runnable> tasks = new ArrayList<>();
        int pixelTiles = ceilDiv(p.outPixels(), MAX_VECTOR);
        int kernelTiles = ceilDiv(p.kernels(), MAX_VECTOR);
        // the longer of the two vectors wins: short loops pay C2's pre/post-loop overhead
        if (p.outPixels() / pixelTiles >= p.kernels() / kernelTiles) {
            int kernelGroups = Math.min(p.kernels(), ceilDiv(TASKS_PER_THREAD * threads, pixelTiles));
            for (int t = 0; t < pixelTiles; t++) {
                int p0 = split(p.outPixels(), pixelTiles, t);
                int p1 = split(p.outPixels(), pixelTiles, t + 1);
                for (int g = 0; g < kernelGroups; g++) {
                    int k0 = split(p.kernels(), kernelGroups, g);
                    int k1 = split(p.kernels(), kernelGroups, g + 1);
                    tasks.add(() -> saturated.addAndGet(layer.pixelVectors(p0, p1, k0, k1, out)));
                }
            }
        } else {
            // transpose the weights once, in parallel; then pixel groups share them read-only
            int[][][] transposed = new int[kernelTiles][][];
            List<Runnable> transposes = new ArrayList<>();
            int parts = Math.max(1, Math.min(threads * TASKS_PER_THREAD, ceilDiv(layer.crs, TAP_BLOCK)));
            for (int t = 0; t < kernelTiles; t++) {
                int tile = t;
                int k0 = split(p.kernels(), kernelTiles, t);
                int k1 = split(p.kernels(), kernelTiles, t + 1);
                transposed[t] = new int[layer.crs][];
                for (int q = 0; q < parts; q++) {
                    int j0 = split(layer.crs, parts, q);
                    int j1 = split(layer.crs, parts, q + 1);
                    transposes.add(() -> layer.transpose(k0, k1, j0, j1, transposed[tile]));
                }
            }
            run(transposes);
            int pixelGroups = Math.max(1, Math.min(ceilDiv(TASKS_PER_THREAD * threads, kernelTiles),
                    p.outPixels() / MIN_PIXELS_PER_GROUP));
            for (int t = 0; t < kernelTiles; t++) {
                int[][] wt = transposed[t];
                int k0 = split(p.kernels(), kernelTiles, t);
                for (int g = 0; g < pixelGroups; g++) {
                    int p0 = split(p.outPixels(), pixelGroups, g);
                    int p1 = split(p.outPixels(), pixelGroups, g + 1);
                    tasks.add(() -> saturated.addAndGet(layer.kernelVectors(p0, p1, k0, wt, out)));
                }
            }
        }
        run(tasks);
        return new CaccOutput(p.kernels(), p.outHeight(), p.outWidth(), out, saturated.get());
    }

    /**
     * CACC on exact int32 sums, in place. No value saturates: {@code |acc| <= C*R*S * 2^14 < 2^31}
     * ({@link OrtConvInteger#supports}) and a rounding right shift only shrinks it, so the count
     * is 0. When {@code |acc| + 2^(clip-1)} fits an int too, the rounding runs in int (vectorised).
     */
    private static void clipTruncate(int[] acc, int from, int to, ConvParams p, int clip) {
        if (clip == 0) {
            return;
        }
        long half = 1L << (clip - 1);
        if (p.reductionLength() * (1L << 14) + half <= Integer.MAX_VALUE) {
            int h = (int) half;
            for (int i = from; i < to; i++) {
                int v = acc[i];
                int sign = v >> 31;
                acc[i] = ((((v ^ sign) - sign) + h) >> clip ^ sign) - sign;   // round half away from zero
            }
        } else {
            for (int i = from; i < to; i++) {
                acc[i] = Cacc.clipTruncate(acc[i], clip);
            }
        }
    }

    private static int ceilDiv(int a, int b) {
        return (a + b - 1) / b;
    }

    /** Start of part {@code i} of {@code n} near-equal parts of {@code [0, total)}. */
    private static int split(int total, int n, int i) {
        return (int) ((long) total * i / n);
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
     * One layer as a matrix product {@code acc[k][pixel] = sum_j w[k][j] * window(pixel)[j]}, j
     * over the {@code C*R*S} taps in the weights' order. Window element j of a pixel is
     * {@code padded[pixelBase[pixel] + tapOffset[j]]}.
     */
    private static final class Layer {
        final int[] data;
        final byte[] weights;
        final int[] tapOffset;
        final int[] pixelBase;
        final int crs;
        final int pixels;
        final int clip;
        final int strideX;
        final int outWidth;

        Layer(PaddedInput in, byte[] w, ConvParams p, int clip) {
            this.data = in.data;
            this.crs = (int) p.reductionLength();
            this.pixels = p.outPixels();
            this.clip = clip;
            this.strideX = p.strideX();
            this.outWidth = p.outWidth();
            this.weights = w;
            this.tapOffset = new int[crs];
            int j = 0;
            for (int c = 0; c < p.inChannels(); c++) {
                for (int r = 0; r < p.kernelHeight(); r++) {
                    for (int s = 0; s < p.kernelWidth(); s++) {
                        tapOffset[j++] = in.rowStart(c, r * p.dilationY()) + s * p.dilationX();
                    }
                }
            }
            this.pixelBase = new int[pixels];
            for (int i = 0; i < pixels; i++) {
                pixelBase[i] = in.rowStart(0, i / outWidth * p.strideY()) + i % outWidth * strideX;
            }
        }

        /**
         * Pixels {@code [p0, p1)} as vector lanes, kernels {@code [k0, k1)} one at a time: the
         * windows of a block of taps are gathered into rows (im2col, one int[] per tap), then each
         * kernel's accumulator row gets {@code row(j) * w[k][j]} for four taps per pass. Returns
         * the CACC saturation count.
         */
        long pixelVectors(int p0, int p1, int k0, int k1, int[] out) {
            int n = p1 - p0;
            int[][] acc = new int[k1 - k0][n];
            long[][] wide = crs > INT_SAFE_TERMS ? new long[k1 - k0][n] : null;
            int[][] rows = new int[TAP_BLOCK][n];
            int[] w = new int[TAP_BLOCK];
            for (int j0 = 0; j0 < crs; j0 += TAP_BLOCK) {
                int jn = Math.min(TAP_BLOCK, crs - j0);
                for (int jj = 0; jj < jn; jj++) {
                    gatherRow(tapOffset[j0 + jj], p0, rows[jj]);
                }
                for (int k = k0; k < k1; k++) {
                    for (int jj = 0; jj < jn; jj++) {
                        w[jj] = weights[k * crs + j0 + jj];
                    }
                    accumulate(acc[k - k0], rows, jn, w, 0, n);
                }
                if (wide != null && endsIntSegment(j0 + jn)) {
                    flush(acc, wide);
                }
            }
            long saturated = 0;
            for (int k = k0; k < k1; k++) {
                for (int i = 0; i < n; i++) {
                    long v = wide == null ? acc[k - k0][i] : wide[k - k0][i];
                    saturated += emit(v, clip, out, k * pixels + p0 + i);
                }
            }
            return saturated;
        }

        /** {@code row[i] = window(p0 + i)[tap]}: contiguous runs along an output row when stride x is 1. */
        private void gatherRow(int tap, int p0, int[] row) {
            int n = row.length;
            if (strideX != 1) {
                for (int i = 0; i < n; i++) {
                    row[i] = data[pixelBase[p0 + i] + tap];
                }
                return;
            }
            int i = 0;
            while (i < n) {
                int run = Math.min(n - i, outWidth - (p0 + i) % outWidth);
                System.arraycopy(data, pixelBase[p0 + i] + tap, row, i, run);
                i += run;
            }
        }

        /** Rows {@code wt[j][k - k0] = w[k][j]} for taps {@code [j0, j1)}, kernels {@code [k0, k1)}. */
        void transpose(int k0, int k1, int j0, int j1, int[][] wt) {
            for (int j = j0; j < j1; j++) {
                wt[j] = new int[k1 - k0];
            }
            for (int jb = j0; jb < j1; jb += TAP_BLOCK) {
                int jn = Math.min(TAP_BLOCK, j1 - jb);
                for (int k = k0; k < k1; k++) {
                    int src = k * crs + jb;
                    for (int jj = 0; jj < jn; jj++) {
                        wt[jb + jj][k - k0] = weights[src + jj];
                    }
                }
            }
        }

        /**
         * Kernels {@code [k0, k0 + wt[0].length)} as vector lanes, pixels {@code [p0, p1)} one at
         * a time: each pixel's accumulator row gets {@code wt[j] * window(pixel)[j]}, a block of
         * taps at a time so the block's weight rows stay in L1 across the pixels.
         */
        long kernelVectors(int p0, int p1, int k0, int[][] wt, int[] out) {
            int kn = wt[0].length;
            int np = p1 - p0;
            int[][] acc = new int[np][kn];
            long[][] wide = crs > INT_SAFE_TERMS ? new long[np][kn] : null;
            int[][] rows = new int[TAP_BLOCK][];
            int[] window = new int[TAP_BLOCK];
            for (int j0 = 0; j0 < crs; j0 += TAP_BLOCK) {
                int jn = Math.min(TAP_BLOCK, crs - j0);
                System.arraycopy(wt, j0, rows, 0, jn);
                for (int i = 0; i < np; i++) {
                    int base = pixelBase[p0 + i];
                    for (int jj = 0; jj < jn; jj++) {
                        window[jj] = data[base + tapOffset[j0 + jj]];
                    }
                    accumulate(acc[i], rows, jn, window, 0, kn);
                }
                if (wide != null && endsIntSegment(j0 + jn)) {
                    flush(acc, wide);
                }
            }
            long saturated = 0;
            for (int i = 0; i < np; i++) {
                for (int k = 0; k < kn; k++) {
                    long v = wide == null ? acc[i][k] : wide[i][k];
                    saturated += emit(v, clip, out, (k0 + k) * pixels + p0 + i);
                }
            }
            return saturated;
        }

        /** True when the taps before {@code j} close a run of int-exact partial sums. */
        private boolean endsIntSegment(int j) {
            return j % INT_SEGMENT == 0 || j == crs;
        }
    }

    /** Taps whose rows are gathered together (16 rows of up to 512 ints: 32 KiB, the L1 data cache). */
    private static final int TAP_BLOCK = 16;
    /** Longest vector run: longer rows are split into tiles (balanced, at most this long). */
    private static final int MAX_VECTOR = 512;
    /** Fewest pixels worth streaming the transposed weights for. */
    private static final int MIN_PIXELS_PER_GROUP = 8;
    /** Tasks per thread, so a core that gets less of a shared machine does less of the work. */
    private static final int TASKS_PER_THREAD = 4;
    private static final int MIN_VALUES_PER_COPY_TASK = 32768;
    /** Whole tap blocks whose products fit an int: partial sums are moved to long after each. */
    static final int INT_SEGMENT = INT_SAFE_TERMS / TAP_BLOCK * TAP_BLOCK;

    /**
     * {@code a[i] += sum_{j < jn} rows[j][i] * scalars[s0 + j]} for {@code i < n}. Four rows per
     * pass: every array is indexed by the same {@code i}, the form C2 (JDK 17) turns into AVX2
     * vpmulld/vpaddd; one more row, an offset index or a narrower element type and it stays
     * scalar (measured). Exact while the caller keeps the partial sums within INT_SAFE_TERMS.
     */
    private static void accumulate(int[] a, int[][] rows, int jn, int[] scalars, int s0, int n) {
        int j = 0;
        for (; j + 3 < jn; j += 4) {
            int[] r0 = rows[j];
            int[] r1 = rows[j + 1];
            int[] r2 = rows[j + 2];
            int[] r3 = rows[j + 3];
            int w0 = scalars[s0 + j];
            int w1 = scalars[s0 + j + 1];
            int w2 = scalars[s0 + j + 2];
            int w3 = scalars[s0 + j + 3];
            for (int i = 0; i < n; i++) {
                a[i] += r0[i] * w0 + r1[i] * w1 + r2[i] * w2 + r3[i] * w3;
            }
        }
        for (; j < jn; j++) {
            int[] r0 = rows[j];
            int w0 = scalars[s0 + j];
            for (int i = 0; i < n; i++) {
                a[i] += r0[i] * w0;
            }
        }
    }

    /** Adds the int partial sums into the long accumulators and clears them. */
    private static void flush(int[][] acc, long[][] wide) {
        for (int m = 0; m < acc.length; m++) {
            int[] a = acc[m];
            long[] w = wide[m];
            for (int i = 0; i < a.length; i++) {
                w[i] += a[i];
                a[i] = 0;
            }
        }
    }

    /** CACC for one accumulator: stores the int32 result, returns 1 if it saturated. */
    private static int emit(long acc, int clip, int[] out, int index) {
        out[index] = Cacc.clipTruncate(acc, clip);
        return Cacc.saturates(acc, clip) ? 1 : 0;
    }

    @Override
    public void close() {
        if (ort != null) {
            ort.close();
        }
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
