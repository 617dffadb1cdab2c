package io.github.int8cal.stats;

import java.util.Locale;

/** The activation-statistics formats the plugin reads; {@code null} in a request means "detect". */
public enum StatisticsFormat {
    /** Our own JSON ({@code "format": "nvdla-int8-statistics"}), with min/max and optional histograms. */
    JSON("json"),
    /** A TensorRT calibration cache ({@code TRT-<version>-<Algorithm>} header, {@code name: hex} lines). */
    TRT_CACHE("trt-cache"),
    /** The calibration JSON that {@code nvdla_compiler --calibtable} reads. */
    NVDLA_JSON("nvdla-json"),
    /** ONNX Runtime's min/max JSON ({@code {"tensor": [min, max]}}). */
    ORT_JSON("ort-json");

    private final String id;

    StatisticsFormat(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    /** Parses the user-facing name ({@code json}, {@code trt-cache}, ...). */
    public static StatisticsFormat fromId(String text) {
        String wanted = text.trim().toLowerCase(Locale.ROOT);
        for (StatisticsFormat f : values()) {
            if (f.id.equals(wanted)) {
                return f;
            }
        }
        throw new IllegalArgumentException("unknown statistics format '" + text
                + "'; expected one of json, trt-cache, nvdla-json, ort-json");
    }
}
