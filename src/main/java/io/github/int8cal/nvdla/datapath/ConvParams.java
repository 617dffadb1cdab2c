package io.github.int8cal.nvdla.datapath;

/**
 * Geometry of one INT8 direct convolution as CSC sees it (docs/nvdla-arithmetic.md#csc-window-and-padding): input
 * {@code inChannels x inHeight x inWidth}, {@code kernels} kernels of
 * {@code inChannels x kernelHeight x kernelWidth}, stride, dilation, top/left zero padding (right
 * and bottom padding are implied by the output size) and the pad value (int8, injected after the
 * CDMA converter, never converted).
 */
public record ConvParams(int inWidth, int inHeight, int inChannels, int kernelWidth, int kernelHeight,
        int kernels, int strideX, int strideY, int dilationX, int dilationY, int padLeft, int padTop,
        int outWidth, int outHeight, int padValue) {

    public ConvParams {
        int[] positive = {inWidth, inHeight, inChannels, kernelWidth, kernelHeight, kernels, strideX, strideY,
            dilationX, dilationY, outWidth, outHeight};
        for (int v : positive) {
            if (v < 1) {
                throw new IllegalArgumentException("convolution sizes, strides and dilations must be >= 1: " + this);
            }
        }
        if (padLeft < 0 || padTop < 0) {
            throw new IllegalArgumentException("padding must be >= 0: " + this);
        }
        if (padValue < -128 || padValue > 127) {
            throw new IllegalArgumentException("pad value must be int8, got " + padValue);
        }
    }

    /**
     * The usual framework convolution: output size from symmetric-or-not padding, as
     * {@code floor((in + padBefore + padAfter - dilation*(k-1) - 1) / stride) + 1}.
     */
    public static ConvParams of(int inChannels, int inHeight, int inWidth, int kernels, int kernelHeight,
            int kernelWidth, int stride, int pad, int dilation, int padValue) {
        int outH = (inHeight + 2 * pad - dilation * (kernelHeight - 1) - 1) / stride + 1;
        int outW = (inWidth + 2 * pad - dilation * (kernelWidth - 1) - 1) / stride + 1;
        return new ConvParams(inWidth, inHeight, inChannels, kernelWidth, kernelHeight, kernels, stride, stride,
                dilation, dilation, pad, pad, outW, outH, padValue);
    }

    /** Number of products summed into one output value (C*R*S). */
    public long reductionLength() {
        return (long) inChannels * kernelHeight * kernelWidth;
    }

    /** Multiply-accumulates of the whole layer. */
    public long macs() {
        return reductionLength() * kernels * outHeight * outWidth;
    }

    public int outPixels() {
        return outWidth * outHeight;
    }
}
