package io.github.int8cal.nvdla.datapath;

/** Element order of a batch-1 tensor: {@code NCHW} (planar) or {@code NHWC} (interleaved). */
public enum TensorLayout {
    NCHW, NHWC
}
