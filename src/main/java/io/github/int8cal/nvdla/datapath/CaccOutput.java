package io.github.int8cal.nvdla.datapath;

/**
 * What CACC delivers to SDP: int32 values, planar {@code [kernel][outY][outX]}, and how many of
 * them were clamped to int32 (the predicted {@code CACC.D_OUT_SATURATION}).
 */
public record CaccOutput(int kernels, int height, int width, int[] values, long saturated) {
}
