package io.github.int8cal.model;

/**
 * The operations the plugin understands, shared by both formats. Attribute keys (see {@link
 * Attributes}) and weight roles per op:
 * <ul>
 * <li>{@code CONVOLUTION}: {@code num_output, kernel [h,w], stride [h,w], pads [top,left,bottom,right],
 *     dilation [h,w], group}; weights {@code weight [O, C/group, kh, kw]}, optional {@code bias [O]}</li>
 * <li>{@code INNER_PRODUCT} (Caffe InnerProduct, ONNX Gemm and MatMul with a constant right operand):
 *     {@code num_output, axis} (input dims from {@code axis} on are flattened); weights {@code weight
 *     [N, K]} (always output-major: transposed at read time when the source stores [K, N]; Gemm's
 *     alpha/beta already multiplied in), optional {@code bias [N]}</li>
 * <li>{@code BATCH_NORM}: {@code epsilon}; weights {@code mean [C], variance [C]} (Caffe: already
 *     multiplied by the reciprocal of the moving-average factor in blob 2, 0 gives 0, as Caffe does;
 *     the factor is kept as attribute {@code moving_average_factor}); ONNX adds {@code scale [C], bias [C]}</li>
 * <li>{@code SCALE}: weights {@code scale [C] or [1]}, optional {@code bias} of the same shape</li>
 * <li>{@code BIAS}: weights {@code bias [C] or [1]}</li>
 * <li>{@code RELU}: {@code negative_slope} (0 for a plain ReLU)</li>
 * <li>{@code PRELU}: weights {@code slope [C] or [1]}</li>
 * <li>{@code CLIP}: {@code min, max} (Clip(0,6) is ReLU6)</li>
 * <li>{@code POOLING}: {@code method} (MAX or AVE), {@code kernel, stride, pads, global, ceil_mode,
 *     count_include_pad}</li>
 * <li>{@code ELTWISE}: {@code operation} (SUM, PROD or MAX), {@code coefficients} (Caffe SUM; empty = all 1)</li>
 * <li>{@code CONCAT}: {@code axis}</li>
 * <li>{@code FLATTEN}: {@code axis, end_axis}</li>
 * <li>{@code RESHAPE}: {@code shape} (the inferred output shape)</li>
 * <li>{@code SOFTMAX}: {@code axis}</li>
 * <li>{@code DROPOUT} (also ONNX Identity): identity at inference</li>
 * </ul>
 */
public enum Op {
    CONVOLUTION,
    INNER_PRODUCT,
    BATCH_NORM,
    SCALE,
    BIAS,
    RELU,
    PRELU,
    CLIP,
    POOLING,
    ELTWISE,
    CONCAT,
    FLATTEN,
    RESHAPE,
    SOFTMAX,
    DROPOUT;

    /**
     * Ops that Caffe parsers (nvdla_compiler and TensorRT) drop: the top blob becomes an alias of the
     * bottom, no layer is created, no table entry is read. (Caffe Input layers are not layers of the
     * graph at all: their tops are {@link Graph#inputs()}.)
     */
    public boolean isDroppedByCaffeParsers() {
        return this == DROPOUT || this == FLATTEN;
    }

    /** Ops whose output holds exactly the input's values (maybe in another shape). */
    public boolean preservesValues() {
        return this == DROPOUT || this == FLATTEN || this == RESHAPE;
    }
}
