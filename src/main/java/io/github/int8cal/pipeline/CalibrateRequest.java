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
 * @param unifyScales      give tensors NVDLA runs at one scale one amax (else only warn); {@code null}
 *                         means auto: unify what the plugin calibrates from statistics, keep an imported
 *                         calibration table (TensorRT cache, nvdla_compiler JSON) as given
 * @param statisticsNaming how the statistics keys name the model's tensors; {@code null} means AUTO
 * @param registers        how to plan NVDLA registers for a model with weights; {@code null} means
 *                         {@link RegisterSettings#DEFAULTS}
 * @param verify           the INT8 verification pass and the build gate; {@code null} means
 *                         {@link VerifySettings#DEFAULTS}
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
        Boolean unifyScales,
        StatisticsKeys.Naming statisticsNaming,
        RegisterSettings registers,
        VerifySettings verify) {

    public CalibrateRequest {
        overrides = List.copyOf(overrides);
        if (statisticsNaming == null) {
            statisticsNaming = StatisticsKeys.Naming.AUTO;
        }
        if (registers == null) {
            registers = RegisterSettings.DEFAULTS;
        }
        if (verify == null) {
            verify = VerifySettings.DEFAULTS;
        }
    }

    /** A request with the default verification settings. */
    public CalibrateRequest(Path statistics, StatisticsFormat statisticsFormat, CalibrationMethod method,
            double percentile, boolean allowMaxFallback, List<TensorOverride> overrides, String trtVersion,
            String trtCalibrator, Path outputDirectory, Path reportDirectory, Path model, Path weights,
            boolean unifyScales, StatisticsKeys.Naming statisticsNaming, RegisterSettings registers) {
        this(statistics, statisticsFormat, method, percentile, allowMaxFallback, overrides, trtVersion, trtCalibrator,
                outputDirectory, reportDirectory, model, weights, unifyScales, statisticsNaming, registers,
                VerifySettings.DEFAULTS);
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
    public CalibrateRequest withModel(Path modelFile, Path weightsFile, Boolean unify,
            StatisticsKeys.Naming naming) {
        return new CalibrateRequest(statistics, statisticsFormat, method, percentile, allowMaxFallback, overrides,
                trtVersion, trtCalibrator, outputDirectory, reportDirectory, modelFile, weightsFile, unify, naming,
                registers, verify);
    }

    /** The same request with other register settings. */
    public CalibrateRequest withRegisters(RegisterSettings settings) {
        return new CalibrateRequest(statistics, statisticsFormat, method, percentile, allowMaxFallback, overrides,
                trtVersion, trtCalibrator, outputDirectory, reportDirectory, model, weights, unifyScales,
                statisticsNaming, settings, verify);
    }

    /** The same request with other verification settings. */
    public CalibrateRequest withVerify(VerifySettings settings) {
        return new CalibrateRequest(statistics, statisticsFormat, method, percentile, allowMaxFallback, overrides,
                trtVersion, trtCalibrator, outputDirectory, reportDirectory, model, weights, unifyScales,
                statisticsNaming, registers, settings);
    }

    /**
     * Files whose bytes decide the outputs, for the up-to-date digest: statistics, model, weights,
     * then every {@code .npy} of the sample directory sorted by name (when verification may run).
     */
    public List<Path> inputFiles() throws java.io.IOException {
        List<Path> files = new java.util.ArrayList<>(java.util.stream.Stream.of(statistics, model, weights)
                .filter(java.util.Objects::nonNull).toList());
        Path samples = verify.samples();
        if (samples != null && !Boolean.FALSE.equals(verify.enabled())
                && java.nio.file.Files.isDirectory(samples)) {
            try (java.util.stream.Stream<Path> s = java.nio.file.Files.list(samples)) {
                s.filter(p -> p.getFileName().toString().endsWith(".npy"))
                        .sorted(java.util.Comparator.comparing(p -> p.getFileName().toString()))
                        .forEach(files::add);
            }
        }
        return List.copyOf(files);
    }
}
