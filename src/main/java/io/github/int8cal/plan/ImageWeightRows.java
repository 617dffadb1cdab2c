package io.github.int8cal.plan;

/**
 * nvdla_compiler's channel post-extension of an image-input conv's weights and its row-grouping
 * bug (docs/nvdla-compiler.md#what-was-checked-against-the-real-compiler; {@code ConvCoreNode::optionalChnlExtForIMG},
 * {@code WeightTrns::prepWtTrnsOpsForIMGPostCE} / {@code execWtTrnsOpsForIMGPostCE}; our account in
 * docs/residual-networks.md).
 *
 * <p>For an image input the compiler first pads the weight channels to the image surface's
 * channels ({@code Cz}, a multiple of 4) and folds each kernel row's columns into channels:
 * {@code C' = Cz·S}. If the profile allows it (it does by default), it then tries to pack
 * {@code rf} = 4 or 2 kernel rows into one atom ("post-extension"): 4 when
 * {@code Cz·sx·3 + C' <= atomicC} and {@code C' <= atomicC/4}, else 2 when
 * {@code Cz·sx + C' <= atomicC} and {@code C' <= atomicC/2}; never when the x stride exceeds S,
 * {@code C' > atomicC} or fewer than two full row groups exist ({@code R/rf <= 1}). The ops are
 * planned with groups of {@code rf} rows, but executed with row groups starting every
 * {@code atomicC / C'} rows: when that differs from {@code rf}, full group {@code g} stores rows
 * {@code g·(atomicC/C') + j} ({@code j < rf}) while the partial group stores the right rows.
 */
public final class ImageWeightRows {

    private ImageWeightRows() {
    }

    /** Channels after the mandatory pre-extension: image channels padded to 4, times the kernel width. */
    public static int extendedChannels(int channels, int kernelWidth) {
        return (channels + 3) / 4 * 4 * kernelWidth;
    }

    /** The post-extension factor the compiler picks (4, 2), or 0 for none. */
    public static int postExtension(int atomicC, int channels, int kernelWidth, int strideX) {
        int cz = (channels + 3) / 4 * 4;
        int extended = cz * kernelWidth;
        if (strideX > kernelWidth) {
            return 0;
        }
        if (cz * strideX * 3 + extended <= atomicC && extended <= atomicC / 4) {
            return 4;
        }
        if (cz * strideX + extended <= atomicC && extended <= atomicC / 2) {
            return 2;
        }
        return 0;
    }

    /**
     * The kernel rows, in order, of each kernel in the weight stream nvdla_compiler writes, or
     * {@code null} when it writes them correctly (no post-extension, or groups of the right size).
     * Values {@code >= kernelHeight} are rows beyond the kernel.
     */
    public static int[] storedRows(int atomicC, int channels, int kernelHeight, int kernelWidth, int strideX) {
        int rf = postExtension(atomicC, channels, kernelWidth, strideX);
        int extended = extendedChannels(channels, kernelWidth);
        if (rf == 0 || extended > atomicC || kernelHeight / rf <= 1) {
            return null;
        }
        int rowsPerGroup = atomicC / extended;
        if (rowsPerGroup == rf) {
            return null;
        }
        int groups = kernelHeight / rf;
        int[] rows = new int[kernelHeight];
        int at = 0;
        for (int g = 0; g < groups; g++) {
            for (int j = 0; j < rf; j++) {
                rows[at++] = g * rowsPerGroup + j;
            }
        }
        for (int r = groups * rf; r < kernelHeight; r++) {
            rows[at++] = r;
        }
        return rows;
    }
}
