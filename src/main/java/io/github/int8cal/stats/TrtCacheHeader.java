package io.github.int8cal.stats;

import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The first line of a TensorRT calibration cache, kept verbatim: {@code TRT-<version>-<Algorithm>}
 * (version = {@code NV_TENSORRT_VERSION}, 4 digits up to TRT 9, 6 digits from TRT 10) or the
 * TensorRT-4-era line {@code 1}. TensorRT ignores a cache whose version or algorithm differs from
 * the consuming build, so a writer reuses an imported header unless told otherwise.
 */
public record TrtCacheHeader(String line) {

    /** The header TensorRT 4 and older wrote (no version, no algorithm). */
    public static final String LEGACY_LINE = "1";

    public static final String DEFAULT_VERSION = "8601";
    public static final String DEFAULT_ALGORITHM = "EntropyCalibration2";

    /** The algorithm names TensorRT writes (LegacyCalibration follows the pattern, never seen). */
    public static final List<String> KNOWN_ALGORITHMS = List.of(
            "EntropyCalibration2", "EntropyCalibration", "MinMaxCalibration", "LegacyCalibration");

    private static final Pattern TRT = Pattern.compile("TRT-([0-9]+)-([A-Za-z0-9_]+)");

    public static TrtCacheHeader of(String version, String algorithm) {
        return new TrtCacheHeader("TRT-" + version + "-" + algorithm);
    }

    public static TrtCacheHeader defaults() {
        return of(DEFAULT_VERSION, DEFAULT_ALGORITHM);
    }

    /** Whether {@code line} is a header this plugin understands. */
    public static boolean isHeader(String line) {
        return LEGACY_LINE.equals(line) || TRT.matcher(line).matches();
    }

    public boolean isLegacy() {
        return LEGACY_LINE.equals(line);
    }

    /** The version digits, or {@code null} for the legacy header. */
    public String version() {
        Matcher m = TRT.matcher(line);
        return m.matches() ? m.group(1) : null;
    }

    /** The algorithm name, or {@code null} for the legacy header. */
    public String algorithm() {
        Matcher m = TRT.matcher(line);
        return m.matches() ? m.group(2) : null;
    }
}
