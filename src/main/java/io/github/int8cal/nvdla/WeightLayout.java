package io.github.int8cal.nvdla;

/**
 * Uncompressed direct-convolution weights (docs/nvdla-arithmetic.md#weights): kernels grouped by
 * {@code atomicK}, channels by {@code atomicC}, the last groups compact (not padded); scan order
 * C' -> K (within group) -> S -> R -> channel group -> kernel group. The blob is padded with zeros
 * to a multiple of 128 bytes ({@code WEIGHT_BYTES}).
 */
public record WeightLayout(int atomicC, int atomicK) {

    public static WeightLayout of(HardwareConfig hw) {
        return new WeightLayout(hw.atomicC(), hw.atomicK());
    }

    /** Byte offset of weight (k, r, s, c) for K kernels of C x R x S. */
    public long offset(int k, int r, int s, int c, int kernels, int channels, int height, int width) {
        long bytesPerKernel = (long) height * width * channels;
        int g = k / atomicK;
        int kk = k % atomicK;
        int kernelsInGroup = Math.min(atomicK, kernels - g * atomicK);
        int cg = c / atomicC;
        int cc = c % atomicC;
        int channelsInGroup = Math.min(atomicC, channels - cg * atomicC);
        return g * atomicK * bytesPerKernel
                + (long) cg * atomicC * height * width * kernelsInGroup
                + (long) (r * width + s) * kernelsInGroup * channelsInGroup
                + (long) kk * channelsInGroup + cc;
    }

    /** Blob size: K*C*R*S rounded up to 128 bytes. */
    public static long blobBytes(int kernels, int channels, int height, int width) {
        long n = (long) kernels * channels * height * width;
        return (n + 127) / 128 * 128;
    }

    /** Packs {@code [k][c][r][s]} int8 weights into the hardware blob. */
    public byte[] pack(byte[] kcrs, int kernels, int channels, int height, int width) {
        byte[] blob = new byte[Math.toIntExact(blobBytes(kernels, channels, height, width))];
        for (int k = 0; k < kernels; k++) {
            for (int c = 0; c < channels; c++) {
                for (int r = 0; r < height; r++) {
                    for (int s = 0; s < width; s++) {
                        blob[(int) offset(k, r, s, c, kernels, channels, height, width)] =
                                kcrs[((k * channels + c) * height + r) * width + s];
                    }
                }
            }
        }
        return blob;
    }
}
