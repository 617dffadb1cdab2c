package io.github.int8cal.verify;

/**
 * What one INT8 step produced: its output and the counts the datapath keeps.
 *
 * @param output         the int8 output at its run scale
 * @param elements       number of output values (all batch items)
 * @param clipped        output values clipped to int8 (SDP: after the 17-bit stage; CPU steps: the
 *                       requantization; 0 for PDP and views, which cannot clip)
 * @param caccSaturated  predicted {@code CACC.D_OUT_SATURATION} summed over batch items; -1 when the
 *                       step has no convolution
 * @param cvt17Saturated predicted {@code SDP.D_PERF_OUT_SATURATION} (with PERF_SAT_EN) summed over
 *                       batch items; -1 when the step has no SDP
 */
public record StepResult(QuantTensor output, long elements, long clipped, long caccSaturated, long cvt17Saturated) {
}
