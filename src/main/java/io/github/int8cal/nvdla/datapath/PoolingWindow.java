package io.github.int8cal.nvdla.datapath;

import io.github.int8cal.model.Attributes;
import io.github.int8cal.model.Shape;
import java.util.List;

/**
 * A pooling layer's window, read once from its attributes, for the float32 reference and the
 * PDP emulation alike. A global pooling is a window the size of the input plane.
 */
public record PoolingWindow(boolean max, int kernelH, int kernelW, int strideH, int strideW, int padTop, int padLeft,
        int padBottom, int padRight, boolean countIncludePad) {

    public static PoolingWindow of(Attributes a, Shape input) {
        boolean max = a.getString("method", "MAX").equals("MAX");
        if (a.getBoolean("global", false)) {
            return new PoolingWindow(max, (int) input.dim(2), (int) input.dim(3), 1, 1, 0, 0, 0, 0, false);
        }
        List<Long> kernel = a.getLongs("kernel");
        List<Long> stride = a.getLongs("stride");
        List<Long> pads = a.getLongs("pads");
        return new PoolingWindow(max, kernel.get(0).intValue(), kernel.get(1).intValue(), stride.get(0).intValue(),
                stride.get(1).intValue(), pads.get(0).intValue(), pads.get(1).intValue(), pads.get(2).intValue(),
                pads.get(3).intValue(), a.getBoolean("count_include_pad", false));
    }
}
