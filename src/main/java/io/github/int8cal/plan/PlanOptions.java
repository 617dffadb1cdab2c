package io.github.int8cal.plan;

import io.github.int8cal.fixedpoint.WeightScope;
import io.github.int8cal.model.ModelFormat;
import io.github.int8cal.nvdla.HardwareConfig;
import io.github.int8cal.problems.CheckedBuilder;
import io.github.int8cal.problems.Problems;

/**
 * How the plan stage programs NVDLA's requantization (docs/nvdla-compiler.md). The one options
 * type of the stage: the calibrate request carries it, {@link NetworkPlanner} reads it and the
 * {@link NetworkPlan} keeps it (with the input format resolved for the model). Built with
 * {@link #builder()}, which starts from the defaults below and checks every value once.
 *
 * @param mode                {@code compiler}: what nvdla_compiler 1.2 programs; {@code precise}:
 *                            rounded mantissas, shifts split across the converters
 *                            ({@value #DEFAULT_MODE})
 * @param scope               weight quantization, nvdla_compiler's {@code --quantizationMode}
 *                            ({@value #DEFAULT_WEIGHT_QUANTIZATION})
 * @param inputFormat         image or feature-map network input (nvdla_compiler {@code --informat});
 *                            {@code null}: the model format's default ({@link InputFormat#defaultFor})
 * @param hardware            the NVDLA configuration (register addresses, EW unit)
 * @param maxMantissaBitsLost report channels whose multiplier kept fewer than {@code 15 - this} of
 *                            its 15 bits, in [0, 15] ({@value #DEFAULT_MAX_MANTISSA_BITS_LOST})
 * @param inputMean           mean the model subtracts from raw pixels (image input recipe
 *                            {@code x = (p - mean) * normalize})
 * @param inputNormalize      factor the model applies after the mean; finite, not 0
 */
public record PlanOptions(RequantMode mode, WeightScope scope, InputFormat inputFormat, HardwareConfig hardware,
        int maxMantissaBitsLost, float inputMean, float inputNormalize) {

    public static final String DEFAULT_MODE = "compiler";
    public static final String DEFAULT_WEIGHT_QUANTIZATION = "per-filter";
    public static final int DEFAULT_MAX_MANTISSA_BITS_LOST = 4;
    public static final float DEFAULT_INPUT_MEAN = 0f;
    public static final float DEFAULT_INPUT_NORMALIZE = 1f;

    public static Builder builder() {
        return new Builder();
    }

    /** The defaults: compiler mode, per-filter weights, the model's input format, nv_small. */
    public static PlanOptions defaults() {
        return builder().build(new Problems());
    }

    /** The defaults for a model of {@code format} (its input format resolved). */
    public static PlanOptions defaults(ModelFormat format) {
        return defaults().forModel(format);
    }

    /** The defaults in compiler mode with {@code scope}, for planning single layers. */
    public static PlanOptions compiler(WeightScope scope) {
        return builder().mode(RequantMode.COMPILER).scope(scope).build(new Problems());
    }

    /** The defaults in precise mode with {@code scope}, for planning single layers. */
    public static PlanOptions precise(WeightScope scope) {
        return builder().mode(RequantMode.PRECISE).scope(scope).build(new Problems());
    }

    /** These options with the input format of a {@code format} model where none was chosen. */
    public PlanOptions forModel(ModelFormat format) {
        return inputFormat != null ? this : new PlanOptions(mode, scope, InputFormat.defaultFor(format), hardware,
                maxMantissaBitsLost, inputMean, inputNormalize);
    }

    /** The same options in mode {@code m} (to compare the two modes' plans). */
    public PlanOptions withMode(RequantMode m) {
        return new PlanOptions(m, scope, inputFormat, hardware, maxMantissaBitsLost, inputMean, inputNormalize);
    }

    /** Collects the options; {@link #build} reports every problem at once. */
    public static final class Builder implements CheckedBuilder<PlanOptions> {

        private RequantMode mode = RequantMode.fromId(DEFAULT_MODE);
        private WeightScope scope = WeightScope.fromId(DEFAULT_WEIGHT_QUANTIZATION);
        private InputFormat inputFormat;
        private HardwareConfig hardware = HardwareConfig.fromId(HardwareConfig.DEFAULT);
        private int maxMantissaBitsLost = DEFAULT_MAX_MANTISSA_BITS_LOST;
        private float inputMean = DEFAULT_INPUT_MEAN;
        private float inputNormalize = DEFAULT_INPUT_NORMALIZE;
        private final Problems parseProblems = new Problems();

        private Builder() {
        }

        public Builder mode(RequantMode m) {
            mode = m;
            return this;
        }

        /** The mode by id ({@code compiler}, {@code precise}); blank keeps the default. */
        public Builder mode(String id) {
            mode = blank(id) ? mode : parseProblems.parse("<registerMode>", id, RequantMode::fromId, mode);
            return this;
        }

        public Builder scope(WeightScope s) {
            scope = s;
            return this;
        }

        /** The weight quantization by id ({@code per-filter}, {@code per-kernel}); blank keeps the default. */
        public Builder scope(String id) {
            scope = blank(id) ? scope : parseProblems.parse("<weightQuantization>", id, WeightScope::fromId, scope);
            return this;
        }

        /** {@code null}: the model format's default. */
        public Builder inputFormat(InputFormat f) {
            inputFormat = f;
            return this;
        }

        /** The input format by id ({@code image}, {@code feature}); blank means the model's default. */
        public Builder inputFormat(String id) {
            inputFormat = blank(id) ? null : parseProblems.parse("<inputFormat>", id, InputFormat::fromId, null);
            return this;
        }

        public Builder hardware(HardwareConfig h) {
            hardware = h;
            return this;
        }

        /** The hardware by preset name ({@code nv_small}, ...); blank keeps the default. */
        public Builder hardware(String id) {
            hardware = blank(id) ? hardware : parseProblems.parse("<hardware>", id, HardwareConfig::fromId, hardware);
            return this;
        }

        public Builder maxMantissaBitsLost(int bits) {
            maxMantissaBitsLost = bits;
            return this;
        }

        public Builder inputRecipe(float mean, float normalize) {
            inputMean = mean;
            inputNormalize = normalize;
            return this;
        }


        @Override
        public PlanOptions build(Problems problems) {
            problems.addAll(parseProblems.list());
            if (maxMantissaBitsLost < 0 || maxMantissaBitsLost > 15) {
                problems.add("<maxMantissaBitsLost>", maxMantissaBitsLost + " is outside [0, 15]; the multipliers"
                        + " have 15 bits, the default is " + DEFAULT_MAX_MANTISSA_BITS_LOST);
            }
            if (!Float.isFinite(inputMean)) {
                problems.add("<inputMean>", inputMean + " is not a finite number");
            }
            if (!Float.isFinite(inputNormalize) || inputNormalize == 0) {
                problems.add("<inputNormalize>", inputNormalize + " must be a finite, non-zero factor"
                        + " (x = (pixel - inputMean) * inputNormalize); the default is 1");
            }
            return new PlanOptions(mode, scope, inputFormat, hardware, maxMantissaBitsLost, inputMean, inputNormalize);
        }

        private static boolean blank(String id) {
            return id == null || id.isBlank();
        }
    }
}
