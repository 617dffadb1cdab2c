package io.github.int8cal.emit;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Formats a double exactly as Python 3's {@code repr(float)} does, so that tables we write are
 * byte-identical to those written by Python tools ({@code json.dump} uses {@code float.__repr__}).
 *
 * <p>Digits: the shortest decimal that reads back as the same double; among equally short ones,
 * the one nearest the exact binary value (ties: even last digit). That is David Gay's mode 0 that
 * CPython uses. Java 17's {@link Double#toString} is neither shortest in all cases nor Python's
 * layout, hence this class. The search tries 1..17 significant digits and at each length checks
 * the two neighbours of the exact value (rounded down and up), because near a power of two the
 * round-trip interval is asymmetric and the nearest candidate may fail where the other succeeds.
 *
 * <p>Layout (CPython {@code format_float_short}, code {@code 'r'}): with the value written as
 * {@code 0.DIGITS × 10^decpt}, scientific notation when {@code decpt <= -4} or {@code decpt > 16}
 * (i.e. exponent &lt; -4 or &gt;= 16), mantissa without trailing {@code .0}, exponent signed with at
 * least two digits ({@code 1e-05}, {@code 1e+16}, {@code 1.5e+300}); otherwise positional with at
 * least one digit after the point ({@code 0.0001}, {@code 1.0}, {@code 1000000000000000.0}).
 * Specials: {@code inf}, {@code -inf}, {@code nan}, {@code 0.0}, {@code -0.0}.
 */
public final class PythonFloatRepr {

    private PythonFloatRepr() {
    }

    public static String repr(double value) {
        if (Double.isNaN(value)) {
            return "nan";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "inf" : "-inf";
        }
        boolean negative = (Double.doubleToRawLongBits(value) & Long.MIN_VALUE) != 0;
        if (value == 0) {
            return negative ? "-0.0" : "0.0";
        }
        BigDecimal shortest = shortest(Math.abs(value));
        BigDecimal stripped = shortest.stripTrailingZeros();
        String digits = stripped.unscaledValue().toString();
        int decpt = digits.length() - stripped.scale();
        String body = decpt <= -4 || decpt > 16 ? scientific(digits, decpt - 1) : positional(digits, decpt);
        return negative ? "-" + body : body;
    }

    /** Python's {@code repr} of a float32 widened to double ({@code repr(float(np.float32(x)))}). */
    public static String repr(float value) {
        return repr((double) value);
    }

    private static BigDecimal shortest(double x) {
        BigDecimal exact = new BigDecimal(x);
        for (int p = 1; p <= 17; p++) {
            BigDecimal down = exact.round(new MathContext(p, RoundingMode.DOWN));
            BigDecimal up = exact.round(new MathContext(p, RoundingMode.UP));
            boolean downOk = down.doubleValue() == x;
            boolean upOk = up.doubleValue() == x;
            if (downOk && upOk) {
                int c = exact.subtract(down).compareTo(up.subtract(exact));
                if (c < 0) {
                    return down;
                }
                if (c > 0) {
                    return up;
                }
                return exact.round(new MathContext(p, RoundingMode.HALF_EVEN));
            }
            if (downOk) {
                return down;
            }
            if (upOk) {
                return up;
            }
        }
        return exact.round(new MathContext(17, RoundingMode.HALF_EVEN));
    }

    private static String scientific(String digits, int exponent) {
        StringBuilder sb = new StringBuilder(digits.length() + 6);
        sb.append(digits.charAt(0));
        if (digits.length() > 1) {
            sb.append('.').append(digits, 1, digits.length());
        }
        sb.append('e').append(exponent < 0 ? '-' : '+');
        int e = Math.abs(exponent);
        if (e < 10) {
            sb.append('0');
        }
        return sb.append(e).toString();
    }

    private static String positional(String digits, int decpt) {
        StringBuilder sb = new StringBuilder(digits.length() + 20);
        if (decpt <= 0) {
            sb.append("0.");
            for (int i = 0; i < -decpt; i++) {
                sb.append('0');
            }
            sb.append(digits);
        } else if (decpt >= digits.length()) {
            sb.append(digits);
            for (int i = digits.length(); i < decpt; i++) {
                sb.append('0');
            }
            sb.append(".0");
        } else {
            sb.append(digits, 0, decpt).append('.').append(digits, decpt, digits.length());
        }
        return sb.toString();
    }
}
