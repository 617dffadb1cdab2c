package io.github.int8cal.plan;

/** Stable identifiers of requantization findings, for reports and filtering. */
public enum DiagnosticCode {
    /** A table scale (input, output or element-wise) is 0, negative, NaN or infinite. */
    INVALID_SCALE,
    /** A weight or BN/Scale parameter is NaN or infinite. */
    INVALID_PARAMETER,
    /** A filter (or the whole tensor) is all zero: its max-abs scale is 0. */
    ZERO_WEIGHTS,
    /** Factor >= 32768: the compiler rejects it ("beyond dynamic range of NvS16"). */
    FACTOR_TOO_LARGE,
    /** Factor below about 2^-48 (shift >= 64): the compiler rejects it. */
    FACTOR_TOO_SMALL,
    /** Multiplier would be 32768 (exact powers of two such as 2^-29): the compiler rejects it. */
    MULTIPLIER_OVERFLOW,
    /** Shift above 31: the compiler logs "Truncate too high" and continues. */
    SHIFT_ABOVE_31,
    /** Multiplier below 2 (or 0) for a non-zero factor: almost all precision lost. */
    MULTIPLIER_TOO_SMALL,
    /** A per-channel mantissa kept fewer bits than allowed under the shared shift. */
    MANTISSA_BITS_LOST,
    /** Largest per-channel factor >= 16384: shift 0 means "choose", channels disagree with the programmed shift. */
    INCONSISTENT_SHARED_SHIFT,
    /** Negative factors: the compiler's signed maximum picks a different channel than the largest magnitude. */
    SIGNED_MAXIMUM,
    /** BatchNorm/Scale factor (gamma / sqrt(var + eps)) is zero or negative. */
    NONPOSITIVE_BN_FACTOR,
    /** Bias or BN mean does not fit int16 after the left shift (wraps in the compiler). */
    BIAS_OVERFLOW,
    /** The factor cannot be represented even by combining every hardware stage. */
    FACTOR_UNENCODABLE,
    /** Element-wise equalization overwrote a tensor's calibrated scale (may clip). */
    ELTWISE_SCALE_OVERWRITTEN,
    /** Both element-wise inputs have other consumers: the compiler refuses the network. */
    ELTWISE_UNSUPPORTED,
    /** nvdla_runtime's image input conversion does not match the table's input scale. */
    INPUT_SCALING_MISMATCH,
    /** A compiler behaviour that is inferred from its code and not reproduced here. */
    NOT_REPRODUCED,
    /** Which encoding the precise mode chose and why. */
    ENCODING_CHOICE,
    /** A calibration-table entry nvdla_compiler reads is missing: the compiler aborts. */
    MISSING_TABLE_ENTRY,
    /** A layer the network planner does not turn into hardware programming. */
    NOT_PLANNED,
    /** A layer that never rescales (pooling, stand-alone ReLU, concat) has a table scale unlike its input's. */
    SCALE_NOT_PROPAGATED,
    /** The softmax output scale cannot represent probabilities near 1 (saturates). */
    SOFTMAX_SATURATES,
    /** nvdla_compiler writes wrong weights for this layer (image-input post-extension row bug). */
    COMPILER_WEIGHT_BUG
}
