package io.github.int8cal.plan;

import io.github.int8cal.fixedpoint.PreciseScaleShift;
import io.github.int8cal.fixedpoint.Rounding;
import io.github.int8cal.fixedpoint.ScaleShift;
import java.util.Optional;
import java.util.Locale;

/**
 * How to feed the network input so that it matches the table's input scale, and whether
 * {@code nvdla_runtime} does. The runtime converts an INT8 image as {@code q = floor(p*127/255 + 0.5)}
 * and ignores the mean, the normalization and the table (docs/nvdla-compiler.md#image-input), so one
 * step is {@code 255/127 * normalize} model units around a zero point of {@code mean}.
 *
 * @param input            network input name
 * @param tableScale       the table's input scale (model units per int8 step)
 * @param mean             per-pixel mean the model subtracts (raw pixel units)
 * @param normalize        factor the model applies after the mean ({@code x = (p - mean) * normalize})
 * @param runtimeScale     model units per step as nvdla_runtime feeds it
 * @param ratio            {@code runtimeScale / tableScale}
 * @param cdmaCvtOffset    on-chip fix: CDMA {@code D_CVT_OFFSET} applied to the runtime's int8
 * @param cdmaCvt          on-chip fix: CDMA {@code D_CVT_SCALE} / {@code CVT_TRUNCATE}
 * @param mismatch         diagnostic when runtime and table disagree beyond the tolerance
 */
public record InputRecipe(String input, float tableScale, float mean, float normalize, double runtimeScale,
        double ratio, int cdmaCvtOffset, ScaleShift cdmaCvt, Optional<Diagnostic> mismatch) {

    public static final double DEFAULT_TOLERANCE = 0.01;

    public static InputRecipe forNvSmallRuntime(String input, float tableScale, float mean, float normalize,
            double tolerance) {
        double runtimeScale = 255.0 / 127.0 * normalize;
        double ratio = runtimeScale / tableScale;
        int offset = (int) Rounding.roundHalfAwayFromZero(mean * 127.0 / 255.0);
        // CDMA converter: 16-bit scale, 6-bit truncate
        ScaleShift cvt = PreciseScaleShift.encode(ratio);
        if (cvt.shift() > 63 || cvt.shift() < 0) {
            cvt = PreciseScaleShift.encodeWithShift(ratio, Math.max(0, Math.min(63, cvt.shift())));
        }
        Optional<Diagnostic> mismatch = Optional.empty();
        if (Math.abs(ratio - 1) > tolerance || offset != 0) {
            mismatch = Optional.of(new Diagnostic(input, DiagnosticCode.INPUT_SCALING_MISMATCH, Severity.WARNING,
                    String.format(Locale.ROOT, "nvdla_runtime feeds round(p*127/255) = %.6g model units per step"
                            + "%s, the table expects %.6g (ratio %.6g). Feed q = sat8(round_half_away((p - %s) * %s"
                            + " / %s)) yourself, or program the first conv's CDMA converter: offset %d,"
                            + " scale %d, truncate %d", runtimeScale,
                            mean != 0 ? " without subtracting the mean " + mean : "", tableScale, ratio,
                            num(mean), num(normalize), num(tableScale), offset, cvt.multiplier(), cvt.shift())));
        }
        return new InputRecipe(input, tableScale, mean, normalize, runtimeScale, ratio, offset, cvt, mismatch);
    }

    /** The host-side conversion that matches the table: {@code q = sat8(round_half_away((p - mean) * normalize / scale))}. */
    public byte quantize(double pixel) {
        return (byte) Rounding.saturate(Rounding.roundHalfAwayFromZero((pixel - mean) * normalize / tableScale), 8);
    }

    private static String num(float v) {
        return String.format(Locale.ROOT, "%.8g", v);
    }
}
