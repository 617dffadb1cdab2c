package io.github.int8cal.plan;

import io.github.int8cal.fixedpoint.BiasQuantizer;
import io.github.int8cal.fixedpoint.CompilerScaleShift;
import io.github.int8cal.fixedpoint.QuantizedWeights;
import io.github.int8cal.fixedpoint.ScaleShift;
import io.github.int8cal.fixedpoint.ShiftedInt16;
import io.github.int8cal.fixedpoint.WeightQuantizer;
import io.github.int8cal.fixedpoint.WeightRounding;
import io.github.int8cal.fixedpoint.WeightScope;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Plans one conv/FC layer: folds its BN/Scale chain, quantizes weights, quantizes the bias or BN
 * mean to int16 + shift, and encodes {@code Si·Sw[k](·v[k])/So} into SDP registers, in
 * {@link RequantMode#COMPILER} (bit-identical to nvdla_compiler 1.2) or {@link RequantMode#PRECISE}.
 *
 * <p>Structure decisions (docs/nvdla-compiler.md#what-was-checked-against-the-real-compiler, #which-entries-are-used,
 * #layer-folding):
 * <ul>
 * <li>compiler mode, image input with BN/Scale: weights quantized raw, BN op survives
 *     (X1 BOTH [mean16, m]);</li>
 * <li>compiler mode otherwise: BN/Scale folded into weights and bias, then a Bias op;</li>
 * <li>precise mode folds for per-filter weights; for per-kernel weights it keeps the BN op so that
 *     channels with small BN factors keep their weight precision;</li>
 * <li>no bias and no chain: the compiler's "unit scale" op.</li>
 * </ul>
 */
public final class ConvRequantizer {

    /** Weight scale used for an all-zero scope (the compiler would compute NaN there). */
    static final float ZERO_WEIGHTS_SCALE = 1f;
    /** Largest accumulator-unit operand kept without the CACC clip (2^31 minus headroom for rounding). */
    static final double MAX_ALU_UNITS = 2147450880.0;
    static final int MAX_CACC_CLIP = 16;

    private ConvRequantizer() {
    }

    /** Plans the layer; precise mode may use X2 (see {@link #plan(ConvLayerInput, PlanOptions, boolean)}). */
    public static LayerRequant plan(ConvLayerInput in, PlanOptions options) {
        return plan(in, options, options.mode() == RequantMode.PRECISE);
    }

    /**
     * @param x2Available precise mode may use the X2 (BN) unit for per-channel power-of-two factors;
     *                    false when X2 is needed for a fused element-wise operand
     */
    public static LayerRequant plan(ConvLayerInput in, PlanOptions options, boolean x2Available) {
        String name = in.name();
        List<Diagnostic> diagnostics = new ArrayList<>();
        if (!validate(in, diagnostics)) {
            return rejected(in, options, diagnostics);
        }
        boolean compiler = options.mode() == RequantMode.COMPILER;
        int channels = in.outputChannels();
        boolean keepBatchNormOp = in.hasChain() && (compiler ? in.imageInput() : options.scope() == WeightScope.PER_KERNEL);

        float[][] weights = in.weights();
        float[] bias = in.bias();
        ChainFolding.BatchNormOp bnOp = null;
        if (keepBatchNormOp) {
            bnOp = ChainFolding.toBatchNormOp(channels, in.bias(), in.batchNorm(), in.scale());
            checkBatchNormFactors(name, bnOp.factor(), compiler, bnOp, diagnostics);
        } else if (in.hasChain()) {
            ChainFolding.FoldedConv folded = ChainFolding.foldIntoConv(in.weights(), in.bias(), in.batchNorm(), in.scale());
            weights = folded.weights();
            bias = folded.bias();
            float[] factors = ChainFolding.toBatchNormOp(channels, null, in.batchNorm(), in.scale()).factor();
            checkBatchNormFactors(name, factors, false, null, diagnostics);
        }
        int paddedChannels = in.imageInput() ? (in.inputChannels() + 3) / 4 * 4 : in.inputChannels();
        float[][] padded = padInputChannels(weights, in.inputChannels(), paddedChannels);

        QuantizedWeights q = WeightQuantizer.quantize(padded, options.scope(),
                compiler ? WeightRounding.COMPILER_HALF_UP_FLOAT32 : WeightRounding.HALF_AWAY_FROM_ZERO,
                ZERO_WEIGHTS_SCALE);
        reportZeroWeights(name, q, compiler, diagnostics);

        LayerKind kind = bnOp != null ? LayerKind.CONV_BATCHNORM
                : bias != null ? LayerKind.CONV_BIAS : LayerKind.CONV_UNIT_SCALE;
        if (kind == LayerKind.CONV_BATCHNORM && compiler && in.bias() == null) {
            diagnostics.add(new Diagnostic(name, DiagnosticCode.NOT_REPRODUCED, Severity.WARNING,
                    "conv on an image input without bias: nvdla_compiler inserts an extra unit-scale op that"
                            + " requantizes to this conv's own table scale first (inferred from its code);"
                            + " that extra int8 round trip is not modelled here. Add a zero bias or use"
                            + " a feature-map input format"));
        }
        float si = in.inputScale();
        float so = in.outputScale();
        float[] sw = q.scales();
        float[] v = bnOp == null ? null : bnOp.factor();

        float[] compilerFactors = new float[channels];
        double[] ideal = new double[channels];
        for (int k = 0; k < channels; k++) {
            if (v == null) {
                compilerFactors[k] = (si / so) * sw[k];
                ideal[k] = (double) si * sw[k] / so;
            } else {
                compilerFactors[k] = ((si * v[k]) / so) * sw[k];
                ideal[k] = (double) si * v[k] * sw[k] / so;
            }
        }
        float[] aluValues = kind == LayerKind.CONV_BATCHNORM ? bnOp.addend() : kind == LayerKind.CONV_BIAS ? bias : null;
        boolean perLayer = options.scope() == WeightScope.PER_KERNEL && kind != LayerKind.CONV_BATCHNORM;

        Encoded encoded;
        ShiftedInt16 alu = null;
        if (compiler) {
            if (aluValues != null) {
                alu = kind == LayerKind.CONV_BATCHNORM ? BiasQuantizer.compilerMean(aluValues, si, sw)
                        : BiasQuantizer.compilerBias(aluValues, si, sw);
                reportAluOverflow(name, alu, kind, Severity.WARNING, diagnostics);
            }
            encoded = CompilerRequantEncoder.encode(name, kind, perLayer, compilerFactors, alu, in.relu());
        } else {
            ConvCoreProgram convCore = ConvCoreProgram.COMPILER;
            if (aluValues != null) {
                double[] units = new double[channels];
                double maxUnits = 0;
                for (int k = 0; k < channels; k++) {
                    units[k] = aluValues[k] / ((double) si * sw[k]);
                    if (Double.isFinite(units[k])) {
                        maxUnits = Math.max(maxUnits, Math.abs(units[k]));
                    } else {
                        units[k] = 0; // zero BN factor: reported above, the channel's addend is dropped
                    }
                }
                int clip = 0;
                while (maxUnits / Math.scalb(1.0, clip) > MAX_ALU_UNITS && clip < MAX_CACC_CLIP) {
                    clip++;
                }
                if (clip > 0) {
                    convCore = ConvCoreProgram.withCaccClip(clip);
                    for (int k = 0; k < channels; k++) {
                        units[k] = Math.scalb(units[k], -clip);
                    }
                    diagnostics.add(new Diagnostic(name, DiagnosticCode.ENCODING_CHOICE, Severity.INFO,
                            String.format(Locale.ROOT, "bias needs %.0f accumulator units (> 2^31): CACC clip"
                                    + " truncate %d divides the accumulator first", maxUnits, clip)));
                }
                alu = BiasQuantizer.precise(units);
                reportAluOverflow(name, alu, kind, Severity.WARNING, diagnostics);
            }
            Integer compilerShift = convCore.caccClipTruncate() > 0 ? null : compilerShift(compilerFactors, perLayer);
            reportCompilerLimits(name, compilerFactors, perLayer, diagnostics);
            encoded = PreciseRequantEncoder.encode(name, kind, perLayer, ideal, compilerShift, alu, in.relu(),
                    x2Available, convCore);
        }
        diagnostics.addAll(encoded.diagnostics());
        return assemble(in, options, kind, q, paddedChannels, v, ideal, alu, encoded, diagnostics);
    }

    static LayerRequant assemble(ConvLayerInput in, PlanOptions options, LayerKind kind, QuantizedWeights q,
            int paddedChannels, float[] v, double[] ideal, ShiftedInt16 alu, Encoded encoded,
            List<Diagnostic> diagnostics) {
        int channels = ideal.length;
        double[] effective = new double[encoded.program() == null ? 0 : channels];
        double[] errors = new double[effective.length];
        int[] bits = new int[effective.length];
        List<Integer> lossy = new ArrayList<>();
        int fewest = 16;
        for (int k = 0; k < effective.length; k++) {
            effective[k] = encoded.program().effectiveFactor(k);
            errors[k] = ScaleShift.relativeError(effective[k], ideal[k]);
            bits[k] = encoded.multipliers().get(k).mantissaBits();
            if (ideal[k] != 0 && 15 - bits[k] > options.maxMantissaBitsLost()) {
                lossy.add(k);
                fewest = Math.min(fewest, bits[k]);
            }
        }
        if (!lossy.isEmpty()) {
            diagnostics.add(new Diagnostic(in.name(), DiagnosticCode.MANTISSA_BITS_LOST, Severity.WARNING,
                    String.format(Locale.ROOT, "channel%s %s keep%s as few as %d of 15 multiplier bits under the"
                            + " shared shift (more than %d lost); per-channel bits are in the plan",
                            lossy.size() > 1 ? "s" : "", CompilerRequantEncoder.channelList(lossy),
                            lossy.size() > 1 ? "" : "s", fewest, options.maxMantissaBitsLost())));
        }
        return new LayerRequant(in.name(), kind, options.mode(), options.scope(), in.inputScale(), in.outputScale(),
                q.scales(), q.values(), paddedChannels, v == null ? new float[0] : v, ideal, alu,
                encoded.multipliers(), encoded.program(), effective, errors, bits, diagnostics);
    }

    private static Integer compilerShift(float[] factors, boolean perLayer) {
        if (perLayer) {
            CompilerScaleShift.Result r = CompilerScaleShift.encode(factors[0]);
            return r.rejected() ? null : r.value().shift();
        }
        CompilerScaleShift.Shared s = CompilerScaleShift.encodeShared(factors);
        return s.rejected() || s.inconsistentShifts() ? null : s.programmedShift();
    }

    /** In precise mode, tell the user where nvdla_compiler would have failed or warned. */
    private static void reportCompilerLimits(String name, float[] factors, boolean perLayer, List<Diagnostic> out) {
        boolean rejected = perLayer ? CompilerScaleShift.encode(factors[0]).rejected()
                : CompilerScaleShift.encodeShared(factors).rejected();
        if (rejected) {
            out.add(new Diagnostic(name, DiagnosticCode.ENCODING_CHOICE, Severity.INFO,
                    "nvdla_compiler would reject this layer's factors; the precise encoding below is a"
                            + " register-level plan the compiler cannot produce"));
        }
    }

    private static boolean validate(ConvLayerInput in, List<Diagnostic> out) {
        String name = in.name();
        boolean ok = true;
        ok &= checkScale(name, "input scale", in.inputScale(), out);
        ok &= checkScale(name, "output scale", in.outputScale(), out);
        int k = in.outputChannels();
        if (k == 0 || in.inputChannels() <= 0) {
            out.add(new Diagnostic(name, DiagnosticCode.INVALID_PARAMETER, Severity.ERROR,
                    "layer has no output channels or no input channels"));
            return false;
        }
        int length = in.weights()[0].length;
        for (int c = 0; c < k && ok; c++) {
            float[] filter = in.weights()[c];
            if (filter.length != length || length % in.inputChannels() != 0) {
                out.add(new Diagnostic(name, DiagnosticCode.INVALID_PARAMETER, Severity.ERROR, String.format(Locale.ROOT,
                        "filter %d has %d weights; expected %d, a multiple of the %d input channels",
                        c, filter.length, length, in.inputChannels())));
                return false;
            }
            for (float w : filter) {
                if (!Float.isFinite(w)) {
                    out.add(new Diagnostic(name, DiagnosticCode.INVALID_PARAMETER, Severity.ERROR,
                            "filter " + c + " contains " + w + "; weights must be finite"));
                    ok = false;
                    break;
                }
            }
        }
        ok &= checkArray(name, "bias", in.bias(), k, out);
        if (in.batchNorm() != null) {
            ok &= checkArray(name, "BatchNorm mean", in.batchNorm().mean(), k, out);
            ok &= checkArray(name, "BatchNorm variance", in.batchNorm().variance(), k, out);
            if (ok) {
                for (int c = 0; c < k; c++) {
                    if (!(in.batchNorm().variance()[c] + in.batchNorm().eps() > 0)) {
                        out.add(new Diagnostic(name, DiagnosticCode.INVALID_PARAMETER, Severity.ERROR,
                                "BatchNorm variance + eps of channel " + c + " is not positive"));
                        ok = false;
                        break;
                    }
                }
            }
        }
        if (in.scale() != null) {
            ok &= checkArray(name, "Scale gamma", in.scale().gamma(), k, out);
            ok &= checkArray(name, "Scale beta", in.scale().beta(), k, out);
        }
        return ok;
    }

    static boolean checkScale(String name, String what, float scale, List<Diagnostic> out) {
        if (Float.isFinite(scale) && scale > 0) {
            return true;
        }
        out.add(new Diagnostic(name, DiagnosticCode.INVALID_SCALE, Severity.ERROR, String.format(Locale.ROOT,
                "%s is %s; a table scale must be a positive finite number (amax/127); recalibrate or fix the"
                        + " table entry", what, Float.toString(scale))));
        return false;
    }

    private static boolean checkArray(String name, String what, float[] values, int channels, List<Diagnostic> out) {
        if (values == null) {
            return true;
        }
        if (values.length != channels) {
            out.add(new Diagnostic(name, DiagnosticCode.INVALID_PARAMETER, Severity.ERROR, String.format(Locale.ROOT,
                    "%s has %d values; expected one per output channel (%d)", what, values.length, channels)));
            return false;
        }
        for (int c = 0; c < values.length; c++) {
            if (!Float.isFinite(values[c])) {
                out.add(new Diagnostic(name, DiagnosticCode.INVALID_PARAMETER, Severity.ERROR,
                        what + " of channel " + c + " is " + values[c] + "; must be finite"));
                return false;
            }
        }
        return true;
    }

    private static void checkBatchNormFactors(String name, float[] factors, boolean compilerBnOp,
            ChainFolding.BatchNormOp op, List<Diagnostic> out) {
        List<Integer> zero = new ArrayList<>();
        List<Integer> negative = new ArrayList<>();
        for (int k = 0; k < factors.length; k++) {
            if (factors[k] == 0) {
                zero.add(k);
            } else if (factors[k] < 0) {
                negative.add(k);
            }
        }
        if (!zero.isEmpty()) {
            boolean infinite = op != null && zero.stream().anyMatch(k -> !Float.isFinite(op.addend()[k]));
            out.add(new Diagnostic(name, DiagnosticCode.NONPOSITIVE_BN_FACTOR,
                    compilerBnOp && infinite ? Severity.ERROR : Severity.WARNING,
                    "BatchNorm/Scale factor gamma/sqrt(var+eps) is 0 for channel"
                            + (zero.size() > 1 ? "s " : " ") + CompilerRequantEncoder.channelList(zero)
                            + (infinite ? ": the BN addend beta/factor is infinite (nvdla_compiler divides by gamma);"
                                    + " remove the pruned channels or fold them first"
                                    : ": the channel outputs a constant")));
        }
        if (!negative.isEmpty()) {
            out.add(new Diagnostic(name, DiagnosticCode.NONPOSITIVE_BN_FACTOR, Severity.WARNING,
                    "BatchNorm/Scale factor is negative for channel" + (negative.size() > 1 ? "s " : " ")
                            + CompilerRequantEncoder.channelList(negative)
                            + ": valid, but nvdla_compiler's signed maximum may choose a wrong shared shift"));
        }
    }

    private static void reportZeroWeights(String name, QuantizedWeights q, boolean compiler, List<Diagnostic> out) {
        List<Integer> zero = new ArrayList<>();
        for (int k = 0; k < q.allZero().length; k++) {
            if (q.allZero()[k]) {
                zero.add(k);
            }
        }
        if (zero.isEmpty()) {
            return;
        }
        boolean scopeZero = q.scope() == WeightScope.PER_FILTER || zero.size() == q.allZero().length;
        if (scopeZero) {
            out.add(new Diagnostic(name, DiagnosticCode.ZERO_WEIGHTS, Severity.WARNING,
                    "all weights are zero in filter" + (zero.size() > 1 ? "s " : " ")
                            + CompilerRequantEncoder.channelList(zero) + ": weight scale 0"
                            + (compiler ? " (nvdla_compiler computes NaN weights here)" : "")
                            + "; scale 1 is used so that the bias still reaches the output"));
        }
    }

    private static void reportAluOverflow(String name, ShiftedInt16 alu, LayerKind kind, Severity severity,
            List<Diagnostic> out) {
        List<Integer> wrapped = new ArrayList<>();
        for (int k = 0; k < alu.channels(); k++) {
            if (alu.wrapped()[k]) {
                wrapped.add(k);
            }
        }
        if (!wrapped.isEmpty()) {
            int k = wrapped.get(0);
            out.add(new Diagnostic(name, DiagnosticCode.BIAS_OVERFLOW, severity, String.format(Locale.ROOT,
                    "%s of channel%s %s does not fit int16 after left shift %d (channel %d: %d -> %d);"
                            + " the hardware adds a wrong value. Check the table scales or use precise mode",
                    kind == LayerKind.CONV_BATCHNORM ? "BN mean" : "bias", wrapped.size() > 1 ? "s" : "",
                    CompilerRequantEncoder.channelList(wrapped), alu.shift(), k, alu.values32()[k],
                    alu.values16()[k])));
        }
    }

    private static float[][] padInputChannels(float[][] weights, int channels, int padded) {
        if (padded == channels) {
            return weights;
        }
        float[][] out = new float[weights.length][];
        for (int k = 0; k < weights.length; k++) {
            int rs = weights[k].length / channels;
            out[k] = new float[padded * rs];
            System.arraycopy(weights[k], 0, out[k], 0, weights[k].length); // C-major: extra channels at the end
        }
        return out;
    }

    private static LayerRequant rejected(ConvLayerInput in, PlanOptions options, List<Diagnostic> diagnostics) {
        return new LayerRequant(in.name(), LayerKind.CONV_BIAS, options.mode(), options.scope(), in.inputScale(),
                in.outputScale(), new float[0], new byte[0][], in.inputChannels(), new float[0], new double[0], null,
                List.of(), null, new double[0], new double[0], new int[0], diagnostics);
    }
}
