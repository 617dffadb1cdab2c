package io.github.int8cal.plan;

import io.github.int8cal.fixedpoint.PreciseScaleShift;
import io.github.int8cal.fixedpoint.ScaleShift;
import io.github.int8cal.fixedpoint.ShiftedInt16;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

/**
 * The most accurate placement the hardware allows. Multipliers are rounded (never truncated) and
 * clamped to ±32767; shifts beyond one 6-bit field are split over X1 and the output converter;
 * factors >= 32768 get a power-of-two pre-multiplier (X2 register, or the output converter);
 * per-channel factors of very different size can use the X2 unit for per-channel powers of two so
 * that small channels keep 15 bits. Among the candidate placements the one with the smallest worst
 * relative error wins (ties: the simpler, earlier one); the compiler's own shift is always a
 * candidate, so precise is never worse than compiler mode.
 */
final class PreciseRequantEncoder {

    /** X2 per-channel powers of two may span at most 2^14 (the largest power of two in int16). */
    static final int MAX_SPREAD = 14;
    /** Guard bits kept between the X stages and the output converter for the spread encoding. */
    static final int MIN_GUARD_BITS = 8;
    /** Output magnitudes up to 2^8 must survive the X1 int32 saturation: guard + spread <= 31 - 8. */
    static final int MAX_GUARD_PLUS_SPREAD = 23;
    /** X1 truncate (63) plus output converter shift (63). */
    static final int MAX_TOTAL_SHIFT = 126;

    private PreciseRequantEncoder() {
    }

    /**
     * @param idealFactors  exact factor per channel applied to the unclipped accumulator
     * @param compilerShift the shift nvdla_compiler would program, or null when it has none
     */
    static Encoded encode(String layer, LayerKind kind, boolean perLayer, double[] idealFactors,
            Integer compilerShift, ShiftedInt16 alu, boolean relu, boolean x2Available, ConvCoreProgram convCore) {
        // the X units and the converter must make up for the accumulator's CACC clip
        double[] ideal = new double[idealFactors.length];
        for (int k = 0; k < ideal.length; k++) {
            ideal[k] = Math.scalb(idealFactors[k], convCore.caccClipTruncate());
        }
        List<Candidate> candidates = new ArrayList<>();
        if (perLayer) {
            double r = ideal[0];
            int natural = r == 0 ? 0 : PreciseScaleShift.encode(r).shift();
            candidates.add(perLayer(layer, kind, r, natural, ideal.length, alu, relu, convCore));
            if (compilerShift != null && compilerShift != natural) {
                candidates.add(perLayer(layer, kind, r, compilerShift, ideal.length, alu, relu, convCore));
            }
        } else {
            double maxAbs = 0;
            for (double r : ideal) {
                maxAbs = Math.max(maxAbs, Math.abs(r));
            }
            int natural = maxAbs == 0 ? 0 : PreciseScaleShift.naturalShift(maxAbs);
            candidates.add(shared(layer, ideal, natural, alu, relu, convCore));
            if (compilerShift != null && compilerShift != natural) {
                candidates.add(shared(layer, ideal, compilerShift, alu, relu, convCore));
            }
            if (x2Available) {
                Candidate spread = spread(layer, ideal, alu, relu, convCore);
                if (spread != null) {
                    candidates.add(spread);
                }
            }
        }
        Candidate best = candidates.get(0);
        for (Candidate c : candidates) {
            if (c.worst(idealFactors) < best.worst(idealFactors)) {
                best = c;
            }
        }
        return new Encoded(best.program, best.multipliers, best.diagnostics);
    }

    private record Candidate(SdpProgram program, List<ScaleShift> multipliers, List<Diagnostic> diagnostics) {

        double worst(double[] ideal) {
            double worst = 0;
            for (int k = 0; k < ideal.length; k++) {
                worst = Math.max(worst, Math.abs(ScaleShift.relativeError(program.effectiveFactor(k), ideal[k])));
            }
            return worst;
        }
    }

    /** One factor for the layer: mantissa in the output converter, X1 carries the bias and any extra shift. */
    private static Candidate perLayer(String layer, LayerKind kind, double r, int shift, int channels,
            ShiftedInt16 alu, boolean relu, ConvCoreProgram convCore) {
        List<Diagnostic> diagnostics = new ArrayList<>();
        if (shift > MAX_TOTAL_SHIFT || shift < -MAX_SPREAD) {
            diagnostics.add(unencodable(layer, r, shift > 0 ? "below 2^-111" : "above 2^29"));
            shift = Math.max(-MAX_SPREAD, Math.min(MAX_TOTAL_SHIFT, shift));
        }
        ScaleShift m = PreciseScaleShift.encodeWithShift(r, shift);
        int cvtShift = shift;
        int x1Shift = 0;
        XUnitProgram x2 = null;
        if (shift > 63) {
            x1Shift = shift - 63;
            cvtShift = 63;
        } else if (shift < 0) {
            int pre = -shift;
            x2 = new XUnitProgram(XOpType.MUL, OperandSource.REGISTER, new int[0], 0, new int[] {1 << pre}, 0,
                    false);
            cvtShift = 0;
        }
        XUnitProgram x1 = kind == LayerKind.CONV_BIAS
                ? new XUnitProgram(XOpType.ADD, OperandSource.MEMORY_PER_CHANNEL, alu.values16().clone(), alu.shift(),
                        new int[0], x1Shift, relu)
                : new XUnitProgram(XOpType.MUL, OperandSource.REGISTER, new int[0], 0, new int[] {1}, x1Shift, relu);
        SdpProgram program = new SdpProgram(convCore, x1, x2, new CvtProgram(m.multiplier(), cvtShift, 0));
        return new Candidate(program, Collections.nCopies(channels, m), diagnostics);
    }

    /** Per-channel mantissas under one shared shift (X1 MUL), split into X1 + converter when needed. */
    private static Candidate shared(String layer, double[] ideal, int shift, ShiftedInt16 alu, boolean relu,
            ConvCoreProgram convCore) {
        List<Diagnostic> diagnostics = new ArrayList<>();
        if (shift > MAX_TOTAL_SHIFT || shift < -MAX_SPREAD) {
            diagnostics.add(unencodable(layer, maxAbs(ideal), shift > 0 ? "below 2^-111" : "above 2^29"));
            shift = Math.max(-MAX_SPREAD, Math.min(MAX_TOTAL_SHIFT, shift));
        }
        int channels = ideal.length;
        int[] mul = new int[channels];
        List<ScaleShift> multipliers = new ArrayList<>(channels);
        for (int k = 0; k < channels; k++) {
            ScaleShift m = PreciseScaleShift.encodeWithShift(ideal[k], shift);
            mul[k] = m.multiplier();
            multipliers.add(m);
        }
        int x1Shift = shift;
        CvtProgram cvt = CvtProgram.IDENTITY;
        if (shift > 63) {
            x1Shift = 63;
            cvt = new CvtProgram(1, shift - 63, 0);
        } else if (shift < 0) {
            int pre = -shift;
            x1Shift = 0;
            cvt = new CvtProgram(1 << pre, 0, 0);
        }
        XUnitProgram x1 = alu == null
                ? new XUnitProgram(XOpType.MUL, OperandSource.MEMORY_PER_CHANNEL, new int[0], 0, mul, x1Shift, relu)
                : new XUnitProgram(XOpType.BOTH, OperandSource.MEMORY_PER_CHANNEL, alu.values16().clone(), alu.shift(),
                        mul, x1Shift, relu);
        return new Candidate(new SdpProgram(convCore, x1, null, cvt), multipliers, diagnostics);
    }

    /**
     * Per-channel 15-bit mantissas in X1, per-channel powers of two {@code 2^(D - d[k])} in X2 with
     * shift D, and {@code G} guard bits removed by the output converter:
     * {@code r[k] = m1[k] * 2^-(pmin - G) * 2^(D - d[k]) * 2^-D * 2^-G}. Outputs stay exact up to
     * the final rounding because X1 keeps {@code G + d[k]} extra bits; {@code G + D <= 23} keeps an
     * int32-saturated X1 result saturated at the int8 output.
     */
    private static Candidate spread(String layer, double[] ideal, ShiftedInt16 alu, boolean relu,
            ConvCoreProgram convCore) {
        int channels = ideal.length;
        int pmin = Integer.MAX_VALUE;
        int pmax = Integer.MIN_VALUE;
        for (double r : ideal) {
            if (r != 0) {
                int p = PreciseScaleShift.naturalShift(r);
                pmin = Math.min(pmin, p);
                pmax = Math.max(pmax, p);
            }
        }
        if (pmin == Integer.MAX_VALUE || pmax == pmin) {
            return null; // no spread to recover
        }
        int spread = Math.min(MAX_SPREAD, pmax - pmin);
        int guard = Math.min(pmin, MAX_GUARD_PLUS_SPREAD - spread);
        int x1Shift = pmin - guard;
        if (guard < MIN_GUARD_BITS || x1Shift > 63) {
            return null;
        }
        int[] m1 = new int[channels];
        int[] m2 = new int[channels];
        List<ScaleShift> multipliers = new ArrayList<>(channels);
        for (int k = 0; k < channels; k++) {
            int d = ideal[k] == 0 ? 0 : Math.min(spread, PreciseScaleShift.naturalShift(ideal[k]) - pmin);
            ScaleShift m = PreciseScaleShift.encodeWithShift(ideal[k], pmin + d);
            m1[k] = m.multiplier();
            m2[k] = 1 << (spread - d);
            multipliers.add(m);
        }
        XUnitProgram x1 = alu == null
                ? new XUnitProgram(XOpType.MUL, OperandSource.MEMORY_PER_CHANNEL, new int[0], 0, m1, x1Shift, relu)
                : new XUnitProgram(XOpType.BOTH, OperandSource.MEMORY_PER_CHANNEL, alu.values16().clone(), alu.shift(),
                        m1, x1Shift, relu);
        XUnitProgram x2 = new XUnitProgram(XOpType.MUL, OperandSource.MEMORY_PER_CHANNEL, new int[0], 0, m2, spread,
                false);
        List<Diagnostic> diagnostics = List.of(new Diagnostic(layer, DiagnosticCode.ENCODING_CHOICE, Severity.INFO,
                String.format(Locale.ROOT, "per-channel factors span 2^%d: X1 holds 15-bit mantissas (shift %d),"
                        + " X2 per-channel powers of two (shift %d), the output converter removes %d guard bits",
                        pmax - pmin, x1Shift, spread, guard)));
        return new Candidate(new SdpProgram(convCore, x1, x2, new CvtProgram(1, guard, 0)), multipliers, diagnostics);
    }

    private static double maxAbs(double[] values) {
        double max = 0;
        for (double v : values) {
            max = Math.max(max, Math.abs(v));
        }
        return max;
    }

    private static Diagnostic unencodable(String layer, double r, String why) {
        return new Diagnostic(layer, DiagnosticCode.FACTOR_UNENCODABLE, Severity.WARNING,
                String.format(Locale.ROOT, "factor %.8g is %s: even X1 + X2 + output converter cannot represent it;"
                        + " the closest encodable value is used", r, why));
    }
}
