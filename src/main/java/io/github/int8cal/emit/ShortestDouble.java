package io.github.int8cal.emit;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Deterministic shortest round-trip decimal for a double, laid out like Python's {@code repr}
 * ({@code 0.013724617660045624}, {@code 2.5e-05}, {@code 16557.0}): the fewest significant digits
 * (1..17, exact BigDecimal rounding) that parse back to the same double, independent of the JDK's
 * {@code Double.toString}. Stand-in until {@code emit.PythonFloatRepr} (branch {@code stats})
 * reaches main; the two are meant to agree.
 */
final class ShortestDouble {

    private ShortestDouble() {
    }

    static String repr(double v) {
        if (Double.isNaN(v)) {
            return "nan";
        }
        if (Double.isInfinite(v)) {
            return v > 0 ? "inf" : "-inf";
        }
        if (v == 0) {
            return (Double.doubleToRawLongBits(v) < 0) ? "-0.0" : "0.0";
        }
        BigDecimal exact = new BigDecimal(v);
        BigDecimal shortest = exact;
        for (int digits = 1; digits <= 17; digits++) {
            BigDecimal r = exact.round(new MathContext(digits, RoundingMode.HALF_EVEN));
            if (r.doubleValue() == v) {
                shortest = r;
                break;
            }
        }
        String digits = shortest.unscaledValue().abs().toString();
        int exponent = digits.length() - 1 - shortest.scale(); // decimal exponent of the first digit
        // strip trailing zeros of the digit string (keeps the value, Python prints the minimal digits)
        int end = digits.length();
        while (end > 1 && digits.charAt(end - 1) == '0') {
            end--;
        }
        digits = digits.substring(0, end);
        StringBuilder sb = new StringBuilder(v < 0 ? "-" : "");
        if (exponent < -4 || exponent >= 16) {
            sb.append(digits.charAt(0));
            if (digits.length() > 1) {
                sb.append('.').append(digits, 1, digits.length());
            }
            sb.append('e').append(exponent < 0 ? '-' : '+');
            int e = Math.abs(exponent);
            sb.append(e < 10 ? "0" + e : Integer.toString(e));
        } else if (exponent < 0) {
            sb.append("0.").append("0".repeat(-exponent - 1)).append(digits);
        } else if (digits.length() <= exponent + 1) {
            sb.append(digits).append("0".repeat(exponent + 1 - digits.length())).append(".0");
        } else {
            sb.append(digits, 0, exponent + 1).append('.').append(digits, exponent + 1, digits.length());
        }
        return sb.toString();
    }
}
