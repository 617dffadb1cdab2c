package io.github.int8cal.plan;

import io.github.int8cal.fixedpoint.ScaleShift;
import io.github.int8cal.fixedpoint.ShiftedInt16;
import io.github.int8cal.fixedpoint.WeightScope;
import java.util.List;

/**
 * The requantization of one layer, ready for the register emitter and the verification pass.
 *
 * @param layer               layer name (conv/FC or element-wise)
 * @param kind                which SDP op carries the factor
 * @param mode                compiler or precise
 * @param scope               weight scope (null for element-wise)
 * @param inputScale          Si actually used (after element-wise equalization)
 * @param outputScale         So
 * @param weightScales        Sw per output channel (repeated for per-kernel); empty for element-wise
 * @param weights             int8 weights per output channel, C'·R·S with C' the padded channel
 *                            count; empty for element-wise
 * @param paddedInputChannels C' (C rounded up to 4 for an image input, else C)
 * @param bnFactors           BN/Scale multiplier per channel for {@link LayerKind#CONV_BATCHNORM}, else empty
 * @param idealFactors        exact factor per channel (double): {@code Si·Sw[k](·v[k])/So}
 * @param aluOperand          bias or BN mean as int16 + left shift (null when none)
 * @param multipliers         per channel, the multiplier that carries the mantissa (X1 MUL, or the
 *                            output converter for per-kernel) with its shift
 * @param program             the converters to program (null when the layer was rejected)
 * @param effectiveFactors    per channel, the multiplier the hardware really applies
 * @param relativeErrors      per channel, {@code (effective - ideal) / ideal}
 * @param mantissaBits        per channel, significant bits kept by the multiplier
 * @param diagnostics         findings, in a stable order
 */
public record LayerRequant(String layer, LayerKind kind, RequantMode mode, WeightScope scope,
        float inputScale, float outputScale, float[] weightScales, byte[][] weights, int paddedInputChannels,
        float[] bnFactors, double[] idealFactors, ShiftedInt16 aluOperand, List<ScaleShift> multipliers,
        SdpProgram program, double[] effectiveFactors, double[] relativeErrors, int[] mantissaBits,
        List<Diagnostic> diagnostics) {

    public LayerRequant {
        multipliers = List.copyOf(multipliers);
        diagnostics = List.copyOf(diagnostics);
    }

    /** True when some diagnostic is an error: the compiler would stop, or the input is invalid. */
    public boolean rejected() {
        return program == null || diagnostics.stream().anyMatch(d -> d.severity() == Severity.ERROR);
    }

    /** Largest |relative error| over the channels (0 when rejected or no channels). */
    public double worstRelativeError() {
        double worst = 0;
        for (double e : relativeErrors) {
            worst = Math.max(worst, Math.abs(e));
        }
        return worst;
    }

    public int channels() {
        return idealFactors.length;
    }

    /** Human-readable derivation, see {@link RequantExplainer}. */
    public String explain() {
        return RequantExplainer.explain(this);
    }
}
