package io.github.int8cal.verify;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * float32 convolution and fully-connected kernels: im2col (skipped for 1x1 stride-1 unpadded
 * convolutions, whose input already is the column matrix) and a GEMM blocked in four output
 * channels by {@value #PIXEL_CHUNK} pixels, two reduction terms per pass: the inner loop is a
 * multiply-add over contiguous pixels that C2 vectorises, reading two column rows for eight
 * products per accumulator update (about twice the speed of one term per pass, measured). Tiles
 * are handed to a fixed pool of threads from a shared counter, so the split adapts to the layer
 * shape.
 */
final class Fp32Kernels implements AutoCloseable {

    /** Pixels per inner loop: four accumulator rows of this length stay in L1. */
    static final int PIXEL_CHUNK = 512;
    /** Output channels per tile (a multiple of the 4-row register block). */
    static final int CHANNEL_TILE = 16;

    private final int threads;
    private final ExecutorService pool;

    Fp32Kernels(int threads) {
        if (threads < 1) {
            throw new IllegalArgumentException("threads must be >= 1");
        }
        this.threads = threads;
        this.pool = threads == 1 ? null : Executors.newFixedThreadPool(threads, r -> {
            Thread t = new Thread(r, "nvdla-int8-fp32");
            t.setDaemon(true);
            return t;
        });
    }

    /** Convolution geometry: NCHW input, {@code pads} top/left (bottom/right follow from the output size). */
    record ConvGeometry(int batch, int inChannels, int inHeight, int inWidth, int outChannels, int outHeight,
            int outWidth, int kernelHeight, int kernelWidth, int strideY, int strideX, int padTop, int padLeft,
            int dilationY, int dilationX, int groups) {

        boolean isPointwise() {
            return kernelHeight == 1 && kernelWidth == 1 && strideX == 1 && strideY == 1 && padTop == 0
                    && padLeft == 0 && outHeight == inHeight && outWidth == inWidth;
        }
    }

    /** {@code out[n][o][p] = bias[o] + sum_j w[o][j] * col[j][p]} per batch item and group. */
    float[] convolution(float[] x, float[] w, float[] bias, ConvGeometry g) {
        int cg = g.inChannels() / g.groups();
        int og = g.outChannels() / g.groups();
        int k = cg * g.kernelHeight() * g.kernelWidth();
        int pixels = g.outHeight() * g.outWidth();
        int inPlane = g.inHeight() * g.inWidth();
        float[] out = new float[g.batch() * g.outChannels() * pixels];
        float[] col = g.isPointwise() ? null : new float[k * pixels];
        for (int n = 0; n < g.batch(); n++) {
            for (int grp = 0; grp < g.groups(); grp++) {
                int inOffset = (n * g.inChannels() + grp * cg) * inPlane;
                float[] matrix;
                int matrixOffset;
                if (col == null) {
                    matrix = x;
                    matrixOffset = inOffset;
                } else {
                    im2col(x, inOffset, cg, g, col);
                    matrix = col;
                    matrixOffset = 0;
                }
                gemm(w, grp * og * k, k, matrix, matrixOffset, pixels, out, (n * g.outChannels() + grp * og) * pixels,
                        og, bias, grp * og);
            }
        }
        return out;
    }

    /** {@code out[r][o] = bias[o] + sum_j x[r][j] * w[o][j]} for {@code rows} input rows of length k. */
    float[] fullyConnected(float[] x, int rows, int k, float[] w, int n, float[] bias) {
        float[] out = new float[rows * n];
        if (rows == 1) {
            // one row: n dot products over contiguous weights (the column matrix would be k x 1)
            int tiles = (n + 63) / 64;
            parallel(tiles, t -> {
                for (int o = t * 64; o < Math.min(n, t * 64 + 64); o++) {
                    out[o] = (bias == null ? 0f : bias[o]) + dot(x, 0, w, o * k, k);
                }
            });
            return out;
        }
        // transpose to [k][rows] and treat as a 1x1 convolution over "rows" pixels
        float[] xt = new float[k * rows];
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < k; j++) {
                xt[j * rows + r] = x[r * k + j];
            }
        }
        float[] t = new float[n * rows];
        gemm(w, 0, k, xt, 0, rows, t, 0, n, bias, 0);
        for (int o = 0; o < n; o++) {
            for (int r = 0; r < rows; r++) {
                out[r * n + o] = t[o * rows + r];
            }
        }
        return out;
    }

    /** Four partial sums so the loop vectorises without a float reduction across iterations. */
    private static float dot(float[] a, int ao, float[] b, int bo, int len) {
        float s0 = 0f;
        float s1 = 0f;
        float s2 = 0f;
        float s3 = 0f;
        int j = 0;
        for (; j + 3 < len; j += 4) {
            s0 += a[ao + j] * b[bo + j];
            s1 += a[ao + j + 1] * b[bo + j + 1];
            s2 += a[ao + j + 2] * b[bo + j + 2];
            s3 += a[ao + j + 3] * b[bo + j + 3];
        }
        for (; j < len; j++) {
            s0 += a[ao + j] * b[bo + j];
        }
        return (s0 + s1) + (s2 + s3);
    }

    /** {@code col[(c*kh + r)*kw + s][oy*ow + ox]}, zero where the window reads padding. */
    private void im2col(float[] x, int inOffset, int channels, ConvGeometry g, float[] col) {
        int kh = g.kernelHeight();
        int kw = g.kernelWidth();
        int oh = g.outHeight();
        int ow = g.outWidth();
        int h = g.inHeight();
        int w = g.inWidth();
        int pixels = oh * ow;
        parallel(channels, c -> {
            for (int r = 0; r < kh; r++) {
                for (int s = 0; s < kw; s++) {
                    int row = ((c * kh + r) * kw + s) * pixels;
                    for (int oy = 0; oy < oh; oy++) {
                        int iy = oy * g.strideY() - g.padTop() + r * g.dilationY();
                        int dst = row + oy * ow;
                        if (iy < 0 || iy >= h) {
                            java.util.Arrays.fill(col, dst, dst + ow, 0f);
                            continue;
                        }
                        int src = inOffset + (c * h + iy) * w;
                        int dx = s * g.dilationX() - g.padLeft();
                        int sx = g.strideX();
                        for (int ox = 0; ox < ow; ox++) {
                            int ix = ox * sx + dx;
                            col[dst + ox] = ix >= 0 && ix < w ? x[src + ix] : 0f;
                        }
                    }
                }
            }
        });
    }

    /**
     * {@code out[outOffset + o*pixels + p] = bias[biasOffset + o] + sum_j w[wOffset + o*k + j] *
     * m[mOffset + j*pixels + p]} for {@code o < rows}.
     */
    private void gemm(float[] w, int wOffset, int k, float[] m, int mOffset, int pixels, float[] out, int outOffset,
            int rows, float[] bias, int biasOffset) {
        int rowTiles = (rows + CHANNEL_TILE - 1) / CHANNEL_TILE;
        int pixelTiles = (pixels + PIXEL_CHUNK - 1) / PIXEL_CHUNK;
        parallel(rowTiles * pixelTiles, tile -> {
            int r0 = tile / pixelTiles * CHANNEL_TILE;
            int r1 = Math.min(rows, r0 + CHANNEL_TILE);
            int p0 = tile % pixelTiles * PIXEL_CHUNK;
            int p1 = Math.min(pixels, p0 + PIXEL_CHUNK);
            int len = p1 - p0;
            float[] a0 = new float[len];
            float[] a1 = new float[len];
            float[] a2 = new float[len];
            float[] a3 = new float[len];
            int r = r0;
            for (; r + 3 < r1; r += 4) {
                fill(a0, bias, biasOffset + r);
                fill(a1, bias, biasOffset + r + 1);
                fill(a2, bias, biasOffset + r + 2);
                fill(a3, bias, biasOffset + r + 3);
                int w0 = wOffset + r * k;
                int j = 0;
                for (; j + 1 < k; j += 2) {
                    float c00 = w[w0 + j];
                    float c01 = w[w0 + j + 1];
                    float c10 = w[w0 + k + j];
                    float c11 = w[w0 + k + j + 1];
                    float c20 = w[w0 + 2 * k + j];
                    float c21 = w[w0 + 2 * k + j + 1];
                    float c30 = w[w0 + 3 * k + j];
                    float c31 = w[w0 + 3 * k + j + 1];
                    int m0 = mOffset + j * pixels + p0;
                    int m1 = m0 + pixels;
                    for (int p = 0; p < len; p++) {
                        float v0 = m[m0 + p];
                        float v1 = m[m1 + p];
                        a0[p] += c00 * v0 + c01 * v1;
                        a1[p] += c10 * v0 + c11 * v1;
                        a2[p] += c20 * v0 + c21 * v1;
                        a3[p] += c30 * v0 + c31 * v1;
                    }
                }
                for (; j < k; j++) {
                    float c0 = w[w0 + j];
                    float c1 = w[w0 + k + j];
                    float c2 = w[w0 + 2 * k + j];
                    float c3 = w[w0 + 3 * k + j];
                    int mb = mOffset + j * pixels + p0;
                    for (int p = 0; p < len; p++) {
                        float v = m[mb + p];
                        a0[p] += c0 * v;
                        a1[p] += c1 * v;
                        a2[p] += c2 * v;
                        a3[p] += c3 * v;
                    }
                }
                System.arraycopy(a0, 0, out, outOffset + r * pixels + p0, len);
                System.arraycopy(a1, 0, out, outOffset + (r + 1) * pixels + p0, len);
                System.arraycopy(a2, 0, out, outOffset + (r + 2) * pixels + p0, len);
                System.arraycopy(a3, 0, out, outOffset + (r + 3) * pixels + p0, len);
            }
            for (; r < r1; r++) {
                fill(a0, bias, biasOffset + r);
                int w0 = wOffset + r * k;
                for (int j = 0; j < k; j++) {
                    float c0 = w[w0 + j];
                    int mb = mOffset + j * pixels + p0;
                    for (int p = 0; p < len; p++) {
                        a0[p] += c0 * m[mb + p];
                    }
                }
                System.arraycopy(a0, 0, out, outOffset + r * pixels + p0, len);
            }
        });
    }

    private static void fill(float[] a, float[] bias, int index) {
        java.util.Arrays.fill(a, bias == null ? 0f : bias[index]);
    }

    /** Runs {@code body(0 .. count-1)} on the pool; workers take indices from a shared counter. */
    private void parallel(int count, java.util.function.IntConsumer body) {
        if (pool == null || count == 1) {
            for (int i = 0; i < count; i++) {
                body.accept(i);
            }
            return;
        }
        AtomicInteger next = new AtomicInteger();
        int workers = Math.min(threads, count);
        List<Future<?>> futures = new ArrayList<>(workers);
        for (int t = 0; t < workers; t++) {
            futures.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                    body.accept(i);
                }
            }));
        }
        try {
            for (Future<?> f : futures) {
                f.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            futures.forEach(f -> f.cancel(true));
            throw new IllegalStateException("fp32 reference interrupted", e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("fp32 kernel failed: " + e.getCause(), e.getCause());
        }
    }

    @Override
    public void close() {
        if (pool != null) {
            pool.shutdownNow();
        }
    }
}
