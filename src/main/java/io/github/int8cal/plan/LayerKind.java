package io.github.int8cal.plan;

/** Which SDP op carries the requantization (docs/nvdla-compiler.md#requantization-by-layer-kind). */
public enum LayerKind {
    /** Conv/FC with a bias (possibly folded from BN/Scale): SDP Bias op. */
    CONV_BIAS,
    /** Conv/FC without bias: the compiler's synthetic "unit scale" op. */
    CONV_UNIT_SCALE,
    /** Conv followed by an unfolded BatchNorm op: X1 BOTH [mean16, m]. */
    CONV_BATCHNORM,
    /** Element-wise sum: requantizes {@code Si/So} in the output converter. */
    ELTWISE_SUM,
    /**
     * Element-wise sum of inputs kept at different scales (precise mode): the main input is
     * multiplied onto a fine grid, the other is shifted onto it, the output converter applies
     * {@code grid/So}. Its factor arrays hold one entry per input (main, operand), not per channel.
     */
    ELTWISE_CONVERTING
}
