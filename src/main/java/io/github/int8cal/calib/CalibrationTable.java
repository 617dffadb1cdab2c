package io.github.int8cal.calib;

import io.github.int8cal.problems.Problem;
import io.github.int8cal.stats.TrtCacheHeader;
import java.util.List;

/**
 * The result of calibration and the input of every writer: one row per tensor in statistics order,
 * the TensorRT header of an imported cache (or {@code null}), and the warnings raised on the way.
 * Later stages (model-aware checks, register planning) read this too.
 */
public record CalibrationTable(List<CalibratedTensor> tensors, TrtCacheHeader importedHeader, List<Problem> warnings) {

    public CalibrationTable {
        tensors = List.copyOf(tensors);
        warnings = List.copyOf(warnings);
    }
}
