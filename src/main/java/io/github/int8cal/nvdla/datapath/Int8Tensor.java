package io.github.int8cal.nvdla.datapath;

/**
 * A batch-1 int8 tensor of {@code channels x height x width} in the given layout. The datapath
 * works planar ({@link TensorLayout#NCHW}); NHWC tensors are converted on the way in and out.
 */
public record Int8Tensor(int channels, int height, int width, TensorLayout layout, byte[] data) {

    public Int8Tensor {
        if (channels < 1 || height < 1 || width < 1) {
            throw new IllegalArgumentException("tensor dimensions must be >= 1");
        }
        if (data.length != (long) channels * height * width) {
            throw new IllegalArgumentException("tensor " + channels + "x" + height + "x" + width + " needs "
                    + (long) channels * height * width + " bytes, got " + data.length);
        }
    }

    /** The data as planar {@code [c][y][x]} (a copy for NHWC, the array itself for NCHW). */
    public byte[] planar() {
        if (layout == TensorLayout.NCHW) {
            return data;
        }
        int pixels = height * width;
        byte[] out = new byte[data.length];
        for (int p = 0; p < pixels; p++) {
            for (int c = 0; c < channels; c++) {
                out[c * pixels + p] = data[p * channels + c];
            }
        }
        return out;
    }

    /** A tensor in {@code layout} from planar data (the first {@code channels} planes of it). */
    public static Int8Tensor fromPlanar(byte[] planar, int channels, int height, int width, TensorLayout layout) {
        int pixels = height * width;
        if (layout == TensorLayout.NCHW) {
            return new Int8Tensor(channels, height, width, layout,
                    planar.length == channels * pixels ? planar : java.util.Arrays.copyOf(planar, channels * pixels));
        }
        byte[] out = new byte[channels * pixels];
        for (int p = 0; p < pixels; p++) {
            for (int c = 0; c < channels; c++) {
                out[p * channels + c] = planar[c * pixels + p];
            }
        }
        return new Int8Tensor(channels, height, width, layout, out);
    }
}
