package io.github.int8cal.pipeline;

import io.github.int8cal.calib.CalibrationMethod;
import io.github.int8cal.model.StatisticsKeys;
import io.github.int8cal.stats.StatisticsFormat;
import java.nio.file.Path;
import java.util.List;

/**
 * Everything the {@code calibrate} goal was asked to do, as one immutable value. The Mojo only
 * maps its parameters to this; {@link CalibratePipeline} does the work. Its {@link #toString()}
 * is part of the up-to-date digest, so every setting that changes the outputs must be a component.
 *
 * @param statisticsFormat {@code null} to detect the format from the file's content
 * @param trtVersion       {@code null} to keep an imported cache's header (else the default 8601)
 * @param trtCalibrator    {@code null} to keep an imported cache's header (else EntropyCalibration2)
 * @param model            {@code .onnx} or Caffe {@code .prototxt}; {@code null} to calibrate the
 *                         statistics as they are, without a model
 * @param weights          the Caffe {@code .caffemodel}, or {@code null}; ignored for ONNX
 * @param unifyScales      give tensors NVDLA runs at one scale one amax (else only warn)
 * @param statisticsNaming how the statistics keys name the model's tensors; {@code null} means AUTO
 * @param registers        how to plan NVDLA registers for a model with weights; {@code null} means
 *                         {@link RegisterSettings#DEFAULTS}
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
        Path reportDirectory,
        Path model,
        Path weights,
        boolean unifyScales,
        StatisticsKeys.Naming statisticsNaming,
        RegisterSettings registers) {

    public CalibrateRequest {
        overrides = List.copyOf(overrides);
        if (statisticsNaming == null) {
            statisticsNaming = StatisticsKeys.Naming.AUTO;
        }
        if (registers == null) {
            registers = RegisterSettings.DEFAULTS;
        }
    }

    /** A request with the default register settings. */
    public CalibrateRequest(Path statistics, StatisticsFormat statisticsFormat, CalibrationMethod method,
            double percentile, boolean allowMaxFallback, List<TensorOverride> overrides, String trtVersion,
            String trtCalibrator, Path outputDirectory, Path reportDirectory, Path model, Path weights,
            boolean unifyScales, StatisticsKeys.Naming statisticsNaming) {
        this(statistics, statisticsFormat, method, percentile, allowMaxFallback, overrides, trtVersion, trtCalibrator,
                outputDirectory, reportDirectory, model, weights, unifyScales, statisticsNaming,
                RegisterSettings.DEFAULTS);
    }

    /** A request without a model (the statistics alone decide the tables). */
    public CalibrateRequest(Path statistics, StatisticsFormat statisticsFormat, CalibrationMethod method,
            double percentile, boolean allowMaxFallback, List<TensorOverride> overrides, String trtVersion,
            String trtCalibrator, Path outputDirectory, Path reportDirectory) {
        this(statistics, statisticsFormat, method, percentile, allowMaxFallback, overrides, trtVersion,
                trtCalibrator, outputDirectory, reportDirectory, null, null, true, StatisticsKeys.Naming.AUTO,
                RegisterSettings.DEFAULTS);
    }

    /** The same request with a model. */
    public CalibrateRequest withModel(Path modelFile, Path weightsFile, boolean unify,
            StatisticsKeys.Naming naming) {
        return new CalibrateRequest(statistics, statisticsFormat, method, percentile, allowMaxFallback, overrides,
                trtVersion, trtCalibrator, outputDirectory, reportDirectory, modelFile, weightsFile, unify, naming,
                registers);
    }

    /** The same request with other register settings. */
    public CalibrateRequest withRegisters(RegisterSettings settings) {
        return new CalibrateRequest(statistics, statisticsFormat, method, percentile, allowMaxFallback, overrides,
                trtVersion, trtCalibrator, outputDirectory, reportDirectory, model, weights, unifyScales,
                statisticsNaming, settings);
    }

    /** Files whose bytes decide the outputs, for the up-to-date digest (statistics, model, weights). */
    public List<Path> inputFiles() {
        return java.util.stream.Stream.of(statistics, model, weights).filter(java.util.Objects::nonNull).toList();
    }
}
