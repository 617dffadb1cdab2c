package io.github.int8cal.verify;

import io.github.int8cal.model.Attributes;
import io.github.int8cal.model.Shape;
import io.github.int8cal.nvdla.datapath.PoolingWindow;
import java.util.List;

/** Reads a pooling layer's window from its attributes, once for both executors. */
final class PoolingWindows {

    private PoolingWindows() {
    }

    /** The window of a pooling layer on an NCHW {@code input}; a global pooling covers the whole plane. */
    static PoolingWindow of(Attributes a, Shape input) {
        boolean max = a.getString("method", "MAX").equals("MAX");
        if (a.getBoolean("global", false)) {
            return PoolingWindow.global(max, (int) input.dim(2), (int) input.dim(3));
        }
        List<Long> kernel = a.getLongs("kernel");
        List<Long> stride = a.getLongs("stride");
        List<Long> pads = a.getLongs("pads");
        return new PoolingWindow(max, kernel.get(0).intValue(), kernel.get(1).intValue(), stride.get(0).intValue(),
                stride.get(1).intValue(), pads.get(0).intValue(), pads.get(1).intValue(), pads.get(2).intValue(),
                pads.get(3).intValue(), a.getBoolean("count_include_pad", false));
    }
}
