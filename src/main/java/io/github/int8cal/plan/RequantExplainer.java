package io.github.int8cal.plan;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.TreeSet;
import java.util.stream.IntStream;

/**
 * Renders how a layer's factors were derived and where each value is programmed:
 * {@code Si, Sw, So -> factor -> (multiplier, shift) -> effective value -> register}. Output is
 * deterministic ({@link Locale#ROOT}, {@code \n}); long per-channel lists show the first channels
 * and the worst ones.
 */
public final class RequantExplainer {

    static final int ALL_CHANNELS_UP_TO = 16;
    static final int HEAD = 8;
    static final int WORST = 4;

    private RequantExplainer() {
    }

    public static String explain(LayerRequant r) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%s: %s, %s mode%s\n", r.layer(), describe(r.kind()),
                r.mode().id(),
                r.scope() == null ? "" : ", " + r.scope().id() + " weights"));
        if (r.rejected() && r.program() == null) {
            sb.append("  not programmed:\n");
            appendDiagnostics(sb, r);
            return sb.toString();
        }
        sb.append(String.format(Locale.ROOT, "  Si = %s, So = %s\n", g(r.inputScale()), g(r.outputScale())));
        String formula = switch (r.kind()) {
            case CONV_BATCHNORM -> "Si * v[k] * Sw[k] / So";
            case ELTWISE_SUM -> "Si / So";
            case ELTWISE_CONVERTING -> "S_input / So, [0] main input, [1] per-element operand";
            default -> "Si * Sw[k] / So";
        };
        SdpProgram p = r.program();
        sb.append("  factor[k] = ").append(formula).append(" -> (multiplier, shift) -> effective, relative error, register\n");
        for (int k : channelsToShow(r)) {
            sb.append(String.format(Locale.ROOT, "  [%d]%s%s factor %s -> %s -> %s (%+.3e, %d bits) -> %s\n", k,
                    r.weightScales().length > k ? " Sw " + g(r.weightScales()[k]) : "",
                    r.bnFactors().length > k ? " v " + g(r.bnFactors()[k]) : "",
                    g(r.idealFactors()[k]), r.multipliers().get(k), g(r.effectiveFactors()[k]),
                    r.relativeErrors()[k], r.mantissaBits()[k], where(r, p, k)));
        }
        if (r.channels() > ALL_CHANNELS_UP_TO) {
            sb.append(String.format(Locale.ROOT, "  (%d channels; worst |relative error| %.3e)\n", r.channels(),
                    r.worstRelativeError()));
        }
        if (r.aluOperand() != null) {
            sb.append(String.format(Locale.ROOT, "  %s: int32 -> int16 >> %d per channel -> X1 ALU operand (memory),"
                    + " BS_ALU_SHIFT_VALUE = %d\n", r.kind() == LayerKind.CONV_BATCHNORM ? "BN mean" : "bias",
                    r.aluOperand().shift(), r.aluOperand().shift()));
        }
        sb.append("  registers: ").append(registers(p)).append('\n');
        appendDiagnostics(sb, r);
        return sb.toString();
    }

    private static void appendDiagnostics(StringBuilder sb, LayerRequant r) {
        for (Diagnostic d : r.diagnostics()) {
            sb.append("  ").append(d.severity()).append(' ').append(d.code()).append(": ").append(d.message()).append('\n');
        }
    }

    private static String describe(LayerKind kind) {
        return switch (kind) {
            case CONV_BIAS -> "conv/FC + SDP Bias op";
            case CONV_UNIT_SCALE -> "conv/FC without bias + SDP unit-scale op";
            case CONV_BATCHNORM -> "conv/FC + SDP BatchNorm op";
            case ELTWISE_SUM -> "element-wise sum";
            case ELTWISE_CONVERTING -> "element-wise sum converting each input";
        };
    }

    private static Iterable<Integer> channelsToShow(LayerRequant r) {
        int n = r.channels();
        if (n <= ALL_CHANNELS_UP_TO) {
            return IntStream.range(0, n).boxed().toList();
        }
        TreeSet<Integer> shown = new TreeSet<>();
        IntStream.range(0, HEAD).forEach(shown::add);
        IntStream.range(0, n).boxed()
                .sorted(Comparator.comparingDouble((Integer k) -> -Math.abs(r.relativeErrors()[k])).thenComparing(k -> k))
                .limit(WORST).forEach(shown::add);
        return shown;
    }

    /** Which register holds channel k's multiplier. */
    private static String where(LayerRequant r, SdpProgram p, int k) {
        List<String> parts = new ArrayList<>();
        if (r.kind() == LayerKind.ELTWISE_CONVERTING) {
            if (k == 1) {
                XUnitProgram operand = p.x2() != null ? p.x2() : p.x1();
                parts.add("X2 operand << " + operand.aluShift());
            } else if (p.x1() != null && p.x1().usesMul()) {
                parts.add(mul("X1", p.x1(), 0));
            }
            parts.add("out_cvt " + p.outCvt().scale() + " >> " + p.outCvt().shift());
            return String.join(" * ", parts);
        }
        if (p.convCore() != null && p.convCore().caccClipTruncate() > 0) {
            parts.add("CACC clip " + p.convCore().caccClipTruncate());
        }
        if (p.x1() != null && p.x1().usesMul()) {
            parts.add(mul("X1", p.x1(), k));
        } else if (p.x1() != null && p.x1().mulShift() > 0) {
            parts.add("X1 shift " + p.x1().mulShift());
        }
        if (p.x2() != null && p.x2().usesMul()) {
            parts.add(mul("X2", p.x2(), k));
        }
        if (!p.outCvt().isIdentity()) {
            parts.add("out_cvt " + p.outCvt().scale() + " >> " + p.outCvt().shift());
        }
        return parts.isEmpty() ? "identity" : String.join(" * ", parts);
    }

    private static String mul(String unit, XUnitProgram x, int k) {
        int m = x.mulOperands().length == 1 ? x.mulOperands()[0] : x.mulOperands()[k];
        String src = x.source() == OperandSource.REGISTER ? " (register)" : " (memory)";
        return unit + " MUL " + m + " >> " + x.mulShift() + src;
    }

    private static String registers(SdpProgram p) {
        StringBuilder sb = new StringBuilder();
        if (p.convCore() != null) {
            ConvCoreProgram c = p.convCore();
            sb.append(String.format(Locale.ROOT, "CDMA in_cvt {scale %d, offset %d, truncate %d}, CACC clip %d; ",
                    c.cdmaCvtScale(), c.cdmaCvtOffset(), c.cdmaCvtTruncate(), c.caccClipTruncate()));
        }
        sb.append("X1 ").append(x(p.x1())).append("; X2 ").append(x(p.x2()));
        sb.append(String.format(Locale.ROOT, "; D_CVT_SCALE %d, D_CVT_SHIFT %d, D_CVT_OFFSET %d",
                p.outCvt().scale(), p.outCvt().shift(), p.outCvt().offset()));
        return sb.toString();
    }

    private static String x(XUnitProgram x) {
        if (x == null) {
            return "bypassed";
        }
        return String.format(Locale.ROOT, "%s %s, alu shift %d, mul shift %d, relu %s", x.type(),
                x.source().name().toLowerCase(Locale.ROOT).replace('_', '-'), x.aluShift(), x.mulShift(),
                x.relu() ? "on" : "off");
    }

    private static String g(double v) {
        return String.format(Locale.ROOT, "%.8g", v);
    }
}
