package io.github.int8cal.stats;

import io.github.int8cal.problems.Ids;

/** The activation-statistics formats the plugin reads; {@code null} in a request means "detect". */
public enum StatisticsFormat {
    /** Our own JSON ({@code "format": "nvdla-int8-statistics"}), with min/max and optional histograms. */
    JSON,
    /** A TensorRT calibration cache ({@code TRT-<version>-<Algorithm>} header, {@code name: hex} lines). */
    TRT_CACHE,
    /** The calibration JSON that {@code nvdla_compiler --calibtable} reads. */
    NVDLA_JSON,
    /** ONNX Runtime's min/max JSON ({@code {"tensor": [min, max]}}). */
    ORT_JSON;

    /** {@code json}, {@code trt-cache}, {@code nvdla-json} or {@code ort-json}. */
    public String id() {
        return Ids.of(this);
    }

    public static StatisticsFormat fromId(String text) {
        return Ids.parse(StatisticsFormat.class, text, "statistics format");
    }
}
