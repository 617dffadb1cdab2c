package io.github.int8cal.pipeline;

import io.github.int8cal.fixedpoint.WeightScope;
import io.github.int8cal.model.ModelFormat;
import io.github.int8cal.nvdla.HardwareConfig;
import io.github.int8cal.plan.InputFormat;
import io.github.int8cal.plan.PlanOptions;
import io.github.int8cal.plan.LayerPlanOptions;
import io.github.int8cal.plan.RequantMode;

/**
 * How a calibrate run with a weighted model plans NVDLA registers ({@code registers.json}). Part of
 * {@link CalibrateRequest}, so every setting changes the up-to-date digest.
 *
 * @param mode                {@code compiler}: what nvdla_compiler 1.2 programs; {@code precise}:
 *                            rounded mantissas, split shifts
 * @param scope               weight quantization; must match nvdla_compiler's {@code --quantizationMode}
 * @param inputFormat         image or feature-map input; {@code null} means the model format's default
 *                            (image for Caffe, feature for ONNX)
 * @param hardware            the NVDLA configuration
 * @param inputMean           mean the model subtracts from raw pixels (image input recipe)
 * @param inputNormalize      factor the model applies after the mean (image input recipe)
 * @param maxMantissaBitsLost warn about channels whose multiplier lost more than this many of its 15 bits
 */
public record RegisterSettings(RequantMode mode, WeightScope scope, InputFormat inputFormat, HardwareConfig hardware,
        float inputMean, float inputNormalize, int maxMantissaBitsLost) {

    /** compiler mode, per-filter weights, the model's default input, nv_small, no input recipe, 4 bits. */
    public static final RegisterSettings DEFAULTS = new RegisterSettings(RequantMode.COMPILER, WeightScope.PER_FILTER,
            null, HardwareConfig.NV_SMALL, 0f, 1f, LayerPlanOptions.DEFAULT_MAX_BITS_LOST);

    public RegisterSettings {
        if (mode == null) {
            mode = RequantMode.COMPILER;
        }
        if (scope == null) {
            scope = WeightScope.PER_FILTER;
        }
        if (hardware == null) {
            hardware = HardwareConfig.NV_SMALL;
        }
    }

    /** The planner's options for a model of {@code format}. */
    public PlanOptions planOptions(ModelFormat format) {
        PlanOptions o = PlanOptions.defaults(format).withMode(mode).withScope(scope)
                .withHardware(hardware).withInputRecipe(inputMean, inputNormalize)
                .withInputFormat(inputFormat != null ? inputFormat : InputFormat.defaultFor(format));
        return new PlanOptions(o.mode(), o.scope(), o.inputFormat(), o.hardware(), maxMantissaBitsLost,
                o.inputMean(), o.inputNormalize());
    }
}
