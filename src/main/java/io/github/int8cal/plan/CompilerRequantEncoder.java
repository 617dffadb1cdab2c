package io.github.int8cal.plan;

import io.github.int8cal.fixedpoint.CompilerScaleShift;
import io.github.int8cal.fixedpoint.EncodingIssue;
import io.github.int8cal.fixedpoint.ScaleShift;
import io.github.int8cal.fixedpoint.ShiftedInt16;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Places factors where nvdla_compiler 1.2 places them (docs/nvdla-compiler.md#requantization-by-layer-kind,
 * #what-was-checked-against-the-real-compiler): per-kernel Bias -> X1 ADD + output converter; per-kernel unit scale ->
 * X1 MUL register; per-channel (per-filter Bias, BN op, per-filter unit scale) -> X1 MUL from memory with one shared
 * truncate and an identity output converter. CACC clip and CDMA converter stay at the identity.
 */
final class CompilerRequantEncoder {

    private CompilerRequantEncoder() {
    }

    static Encoded encode(String layer, LayerKind kind, boolean perLayer, float[] factors, ShiftedInt16 alu,
            boolean relu) {
        List<Diagnostic> diagnostics = new ArrayList<>();
        int channels = factors.length;
        if (perLayer) {
            CompilerScaleShift.Result result = CompilerScaleShift.encode(factors[0]);
            report(layer, Map.of(-1, result), factors, diagnostics);
            if (result.rejected()) {
                return new Encoded(null, List.of(), diagnostics);
            }
            ScaleShift m = result.value();
            List<ScaleShift> multipliers = Collections.nCopies(channels, m);
            SdpProgram program;
            if (kind == LayerKind.CONV_BIAS) {
                XUnitProgram x1 = new XUnitProgram(XOpType.ADD, OperandSource.MEMORY_PER_CHANNEL,
                        alu.values16().clone(), alu.shift(), new int[0], 0, relu);
                program = new SdpProgram(ConvCoreProgram.COMPILER, x1, null,
                        new CvtProgram(m.multiplier(), m.shift(), 0));
            } else {
                XUnitProgram x1 = new XUnitProgram(XOpType.MUL, OperandSource.REGISTER, new int[0], 0,
                        new int[] {m.multiplier()}, m.shift(), relu);
                program = new SdpProgram(ConvCoreProgram.COMPILER, x1, null, CvtProgram.IDENTITY);
            }
            return new Encoded(program, multipliers, diagnostics);
        }
        CompilerScaleShift.Shared shared = CompilerScaleShift.encodeShared(factors);
        Map<Integer, CompilerScaleShift.Result> byChannel = new TreeMap<>();
        if (shared.source().rejected()) {
            byChannel.put(shared.sourceChannel(), shared.source()); // the shared shift itself failed
        } else {
            for (int k = 0; k < channels; k++) {
                byChannel.put(k, shared.channels().get(k));
            }
        }
        checkSignedMaximum(layer, factors, shared.sourceChannel(), diagnostics);
        report(layer, byChannel, factors, diagnostics);
        if (shared.rejected()) {
            return new Encoded(null, List.of(), diagnostics);
        }
        if (shared.inconsistentShifts()) {
            diagnostics.add(new Diagnostic(layer, DiagnosticCode.INCONSISTENT_SHARED_SHIFT, Severity.WARNING,
                    String.format(Locale.ROOT, "the largest factor %s >= 16384 gives shift 0, which the compiler"
                            + " treats as 'choose': channels pick their own shifts but only shift %d is programmed",
                            fmt(factors[shared.sourceChannel()]), shared.programmedShift())));
        }
        int shift = shared.programmedShift();
        int[] mul = new int[channels];
        List<ScaleShift> multipliers = new ArrayList<>(channels);
        for (int k = 0; k < channels; k++) {
            mul[k] = shared.channels().get(k).value().multiplier();
            multipliers.add(new ScaleShift(mul[k], shift));
        }
        XUnitProgram x1 = alu == null
                ? new XUnitProgram(XOpType.MUL, OperandSource.MEMORY_PER_CHANNEL, new int[0], 0, mul, shift, relu)
                : new XUnitProgram(XOpType.BOTH, OperandSource.MEMORY_PER_CHANNEL, alu.values16().clone(),
                        alu.shift(), mul, shift, relu);
        return new Encoded(new SdpProgram(ConvCoreProgram.COMPILER, x1, null, CvtProgram.IDENTITY), multipliers,
                diagnostics);
    }

    private static void checkSignedMaximum(String layer, float[] factors, int signedMax, List<Diagnostic> out) {
        int absMax = 0;
        for (int k = 1; k < factors.length; k++) {
            if (Math.abs(factors[k]) > Math.abs(factors[absMax])) {
                absMax = k;
            }
        }
        if (Math.abs(factors[absMax]) > Math.abs(factors[signedMax])) {
            out.add(new Diagnostic(layer, DiagnosticCode.SIGNED_MAXIMUM, Severity.WARNING, String.format(Locale.ROOT,
                    "negative factors: the compiler takes the shared shift from channel %d (%s, signed maximum)"
                            + " instead of channel %d (%s, largest magnitude)",
                    signedMax, fmt(factors[signedMax]), absMax, fmt(factors[absMax]))));
        }
    }

    /** Groups the compiler's encoding issues by kind; key -1 means "the layer's single factor". */
    private static void report(String layer, Map<Integer, CompilerScaleShift.Result> results, float[] factors,
            List<Diagnostic> out) {
        Map<EncodingIssue, List<Integer>> byIssue = new TreeMap<>();
        for (Map.Entry<Integer, CompilerScaleShift.Result> e : results.entrySet()) {
            for (EncodingIssue issue : e.getValue().issues()) {
                byIssue.computeIfAbsent(issue, i -> new ArrayList<>()).add(e.getKey());
            }
        }
        for (Map.Entry<EncodingIssue, List<Integer>> e : byIssue.entrySet()) {
            List<Integer> where = e.getValue();
            int first = where.get(0);
            float factor = factors[Math.max(0, first)];
            CompilerScaleShift.Result example = results.get(first);
            String subject = first < 0 ? "factor " + fmt(factor)
                    : "channel" + (where.size() > 1 ? "s " + channelList(where) : " " + first)
                            + " (e.g. factor " + fmt(factor) + ")";
            out.add(switch (e.getKey()) {
                case FACTOR_TOO_LARGE -> new Diagnostic(layer, DiagnosticCode.FACTOR_TOO_LARGE, Severity.ERROR,
                        subject + " is >= 32768: nvdla_compiler rejects it (beyond the range of NvS16); use precise"
                                + " mode or check the table scales");
                case SHIFT_AT_LEAST_64 -> new Diagnostic(layer, DiagnosticCode.FACTOR_TOO_SMALL, Severity.ERROR,
                        subject + " needs shift " + example.value().shift() + " >= 64: nvdla_compiler rejects it;"
                                + " use precise mode or check the table scales");
                case MULTIPLIER_OVERFLOW -> new Diagnostic(layer, DiagnosticCode.MULTIPLIER_OVERFLOW, Severity.ERROR,
                        subject + " gives multiplier 32768 at shift " + example.value().shift()
                                + " (log2 rounding on an exact power of two, or a larger factor under a shared"
                                + " shift): nvdla_compiler rejects it; use precise mode");
                case SHIFT_ABOVE_31 -> new Diagnostic(layer, DiagnosticCode.SHIFT_ABOVE_31, Severity.WARNING,
                        subject + " uses shift " + example.value().shift() + " > 31: nvdla_compiler logs"
                                + " 'Truncate too high' and continues (the 6-bit hardware field accepts it)");
                case MULTIPLIER_ZERO, MULTIPLIER_BELOW_2 -> new Diagnostic(layer, DiagnosticCode.MULTIPLIER_TOO_SMALL,
                        Severity.WARNING, subject + " gets multiplier " + example.value().multiplier()
                                + ": the factor is lost; use per-filter precise mode");
            });
        }
    }

    static String channelList(List<Integer> channels) {
        StringBuilder sb = new StringBuilder();
        int shown = Math.min(channels.size(), 8);
        for (int i = 0; i < shown; i++) {
            sb.append(i == 0 ? "" : ", ").append(channels.get(i));
        }
        if (channels.size() > shown) {
            sb.append(", ... (").append(channels.size()).append(" in all)");
        }
        return sb.toString();
    }

    static String fmt(double v) {
        return String.format(Locale.ROOT, "%.8g", v);
    }
}
