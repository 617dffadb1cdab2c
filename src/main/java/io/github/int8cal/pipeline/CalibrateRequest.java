package io.github.int8cal.pipeline;

import io.github.int8cal.calib.CalibrationMethod;
import io.github.int8cal.stats.StatisticsFormat;
import java.nio.file.Path;
import java.util.List;

/**
 * Everything the {@code calibrate} goal was asked to do, as one immutable value. The Mojo only
 * maps its parameters to this; {@link CalibratePipeline} does the work.
 *
 * @param statisticsFormat {@code null} to detect the format from the file's content
 * @param trtVersion       {@code null} to keep an imported cache's header (else the default 8601)
 * @param trtCalibrator    {@code null} to keep an imported cache's header (else EntropyCalibration2)
 */
public record CalibrateRequest(
        Path statistics,
        StatisticsFormat statisticsFormat,
        CalibrationMethod method,
        double percentile,
        boolean allowMaxFallback,
        List<TensorOverride> overrides,
        String trtVersion,
        String trtCalibrator,
        Path outputDirectory,
        Path reportDirectory) {

    public CalibrateRequest {
        overrides = List.copyOf(overrides);
    }
}
