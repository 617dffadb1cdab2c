package io.github.int8cal.nvdla.datapath;

/**
 * A pooling window in plain numbers: max or average, kernel, stride and padding of each side, and
 * whether an average counts padded positions. The PDP emulation ({@link Pdp}) and the float32
 * reference pooling read the same window, so both see one reading of the layer's attributes.
 *
 * @param countIncludePad only for the float32 reference: the PDP always divides by the full kernel
 */
public record PoolingWindow(boolean max, int kernelH, int kernelW, int strideH, int strideW, int padTop, int padLeft,
        int padBottom, int padRight, boolean countIncludePad) {

    public PoolingWindow {
        if (kernelH < 1 || kernelW < 1 || strideH < 1 || strideW < 1) {
            throw new IllegalArgumentException("pooling kernel and stride must be >= 1, got kernel " + kernelH + "x"
                    + kernelW + ", stride " + strideH + "x" + strideW);
        }
    }

    /** A global pooling: one window over the whole {@code height x width} plane. */
    public static PoolingWindow global(boolean max, int height, int width) {
        return new PoolingWindow(max, height, width, 1, 1, 0, 0, 0, 0, false);
    }
}
