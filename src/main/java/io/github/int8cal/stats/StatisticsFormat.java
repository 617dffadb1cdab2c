package io.github.int8cal.stats;

import io.github.int8cal.problems.Choice;
import io.github.int8cal.problems.Ids;

/** The activation-statistics formats the plugin reads; {@code null} in a request means "detect". */
public enum StatisticsFormat implements Choice {
    /** Our own JSON ({@code "format": "nvdla-int8-statistics"}), with min/max and optional histograms. */
    JSON,
    /** A TensorRT calibration cache ({@code TRT-<version>-<Algorithm>} header, {@code name: hex} lines). */
    TRT_CACHE,
    /** The calibration JSON that {@code nvdla_compiler --calibtable} reads. */
    NVDLA_JSON,
    /** ONNX Runtime's min/max JSON ({@code {"tensor": [min, max]}}). */
    ORT_JSON;

    public static StatisticsFormat fromId(String text) {
        return Ids.parse(StatisticsFormat.class, text, "statistics format");
    }
}
