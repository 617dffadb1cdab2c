package io.github.int8cal.plan;

import io.github.int8cal.fixedpoint.WeightScope;
import io.github.int8cal.model.ModelFormat;
import io.github.int8cal.nvdla.HardwareConfig;

/**
 * How to plan a whole network for NVDLA.
 *
 * @param mode                {@code compiler} (what nvdla_compiler programs) or {@code precise}
 * @param scope               weight quantization per tensor ({@code per-kernel}) or per filter
 * @param inputFormat         image or feature-map network input (nvdla_compiler {@code --informat})
 * @param hardware            the NVDLA configuration (register addresses, EW unit)
 * @param maxMantissaBitsLost report channels whose multiplier kept fewer than {@code 15 - this} bits
 * @param inputMean           mean the model subtracts from raw pixels (image input recipe)
 * @param inputNormalize      factor the model applies after the mean (image input recipe)
 */
public record PlanOptions(RequantMode mode, WeightScope scope, InputFormat inputFormat, HardwareConfig hardware,
        int maxMantissaBitsLost, float inputMean, float inputNormalize) {

    /** compiler mode, per-filter weights, the format's default input, nv_small. */
    public static PlanOptions defaults(ModelFormat format) {
        return new PlanOptions(RequantMode.COMPILER, WeightScope.PER_FILTER, InputFormat.defaultFor(format),
                HardwareConfig.NV_SMALL, LayerPlanOptions.DEFAULT_MAX_BITS_LOST, 0f, 1f);
    }

    public PlanOptions withMode(RequantMode m) {
        return new PlanOptions(m, scope, inputFormat, hardware, maxMantissaBitsLost, inputMean, inputNormalize);
    }

    public PlanOptions withScope(WeightScope s) {
        return new PlanOptions(mode, s, inputFormat, hardware, maxMantissaBitsLost, inputMean, inputNormalize);
    }

    public PlanOptions withInputFormat(InputFormat f) {
        return new PlanOptions(mode, scope, f, hardware, maxMantissaBitsLost, inputMean, inputNormalize);
    }

    public PlanOptions withHardware(HardwareConfig h) {
        return new PlanOptions(mode, scope, inputFormat, h, maxMantissaBitsLost, inputMean, inputNormalize);
    }

    public PlanOptions withInputRecipe(float mean, float normalize) {
        return new PlanOptions(mode, scope, inputFormat, hardware, maxMantissaBitsLost, mean, normalize);
    }

    /** The per-layer options for {@link ConvRequantizer}. */
    public LayerPlanOptions layerOptions() {
        return new LayerPlanOptions(mode, scope, maxMantissaBitsLost, mode == RequantMode.PRECISE);
    }
}
