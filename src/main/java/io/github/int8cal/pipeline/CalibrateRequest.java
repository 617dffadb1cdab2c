package io.github.int8cal.pipeline;

import io.github.int8cal.calib.CalibrationSettings;
import io.github.int8cal.model.StatisticsKeys;
import io.github.int8cal.plan.PlanOptions;
import io.github.int8cal.problems.Ids;
import io.github.int8cal.problems.ProblemException;
import io.github.int8cal.problems.Problems;
import io.github.int8cal.stats.StatisticsFormat;
import io.github.int8cal.stats.TrtCacheHeader;
import io.github.int8cal.verify.VerifySettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Everything the {@code calibrate} goal was asked to do, as one immutable value: what to read and
 * where to write, and each stage's own options ({@link CalibrationSettings}, {@link PlanOptions},
 * {@link VerifySettings}), referenced rather than copied. Made with {@link #builder()}, which holds
 * every default and reports every problem of the settings at once; the Mojo only maps its parameters
 * onto the builder. Its {@link #toString()} is part of the up-to-date digest, so every setting that
 * changes the outputs is a component (or a component's component).
 *
 * @param statistics       the activation statistics file
 * @param statisticsFormat {@code null} to detect the format from the file's content
 * @param model            {@code .onnx} or Caffe {@code .prototxt}; {@code null} to calibrate the
 *                         statistics as they are, without a model
 * @param weights          the Caffe {@code .caffemodel}, or {@code null}; ignored for ONNX
 * @param statisticsNaming how the statistics keys name the model's tensors
 * @param unifyScales      give tensors NVDLA runs at one scale one amax (else only warn); {@code null}
 *                         means auto: unify what the plugin calibrates from statistics, keep an imported
 *                         calibration table (TensorRT cache, nvdla_compiler JSON) as given
 * @param calibration      how amax values are chosen
 * @param registers        how NVDLA registers are planned for a model with weights
 * @param verify           the INT8 verification pass and the build gate
 * @param outputDirectory  where the tables and registers go
 * @param reportDirectory  where report.json and the JUnit XML go
 * @param trtVersion       {@code NV_TENSORRT_VERSION} of the cache header; {@code null} keeps an
 *                         imported cache's header, else {@value TrtCacheHeader#DEFAULT_VERSION}
 * @param trtCalibrator    calibrator name of the cache header; {@code null} keeps an imported cache's
 *                         header, else {@value TrtCacheHeader#DEFAULT_ALGORITHM}
 */
public record CalibrateRequest(
        Path statistics,
        StatisticsFormat statisticsFormat,
        Path model,
        Path weights,
        StatisticsKeys.Naming statisticsNaming,
        Boolean unifyScales,
        CalibrationSettings calibration,
        PlanOptions registers,
        VerifySettings verify,
        Path outputDirectory,
        Path reportDirectory,
        String trtVersion,
        String trtCalibrator) {

    public static final String DEFAULT_STATISTICS_NAMING = "auto";

    public static Builder builder() {
        return new Builder();
    }

    /**
     * Files whose bytes decide the outputs, for the up-to-date digest: statistics, model, weights,
     * then every {@code .npy} of the sample directory sorted by name (when verification may run).
     */
    public List<Path> inputFiles() throws IOException {
        List<Path> files = new ArrayList<>(Stream.of(statistics, model, weights).filter(Objects::nonNull).toList());
        Path samples = verify.samples();
        if (samples != null && !Boolean.FALSE.equals(verify.enabled()) && Files.isDirectory(samples)) {
            try (Stream<Path> s = Files.list(samples)) {
                s.filter(p -> p.getFileName().toString().endsWith(".npy"))
                        .sorted(Comparator.comparing(p -> p.getFileName().toString()))
                        .forEach(files::add);
            }
        }
        return List.copyOf(files);
    }

    /**
     * Collects the settings, starting from the defaults; {@link #build()} checks all of them and
     * reports every problem in one exception. Enum settings may be given by their ids
     * ({@code "precise"}) as a user typed them, or typed.
     */
    public static final class Builder {

        private Path statistics;
        private StatisticsFormat statisticsFormat;
        private Path model;
        private Path weights;
        private StatisticsKeys.Naming statisticsNaming = StatisticsKeys.Naming.fromId(DEFAULT_STATISTICS_NAMING);
        private Boolean unifyScales;
        private final CalibrationSettings.Builder calibration = CalibrationSettings.builder();
        private final PlanOptions.Builder registers = PlanOptions.builder();
        private final VerifySettings.Builder verify = VerifySettings.builder();
        private Path outputDirectory;
        private Path reportDirectory;
        private String trtVersion;
        private String trtCalibrator;
        private final Problems parseProblems = new Problems();

        private Builder() {
        }

        public Builder statistics(Path file) {
            statistics = file;
            return this;
        }

        /** {@code null}: detect the format from the content. */
        public Builder statisticsFormat(StatisticsFormat format) {
            statisticsFormat = format;
            return this;
        }

        /** The format by id ({@code json}, {@code trt-cache}, ...); blank: detect. */
        public Builder statisticsFormat(String id) {
            statisticsFormat = id == null || id.isBlank() ? null
                    : parseProblems.parse("<statisticsFormat>", id, StatisticsFormat::fromId, null);
            return this;
        }

        /** The model ({@code null}: none) and, for Caffe, its weights ({@code null}: none). */
        public Builder model(Path modelFile, Path weightsFile) {
            model = modelFile;
            weights = weightsFile;
            return this;
        }

        public Builder statisticsNaming(StatisticsKeys.Naming naming) {
            statisticsNaming = naming;
            return this;
        }

        /** The naming by id ({@code auto}, {@code tensor}, {@code layer}, {@code tensorrt}); blank: auto. */
        public Builder statisticsNaming(String id) {
            statisticsNaming = id == null || id.isBlank() ? StatisticsKeys.Naming.AUTO
                    : parseProblems.parse("<statisticsNaming>", id, StatisticsKeys.Naming::fromId, statisticsNaming);
            return this;
        }

        /** {@code null}: unify calibrated statistics, keep an imported table as given. */
        public Builder unifyScales(Boolean unify) {
            unifyScales = unify;
            return this;
        }

        /** Sets calibration settings (method, percentile, overrides, ...). */
        public Builder calibration(Consumer<CalibrationSettings.Builder> settings) {
            settings.accept(calibration);
            return this;
        }

        /** Sets register planning options (mode, weight quantization, hardware, ...). */
        public Builder registers(Consumer<PlanOptions.Builder> options) {
            options.accept(registers);
            return this;
        }

        /** Sets verification settings and gate limits. */
        public Builder verify(Consumer<VerifySettings.Builder> settings) {
            settings.accept(verify);
            return this;
        }

        /** Where the tables and registers go, and where the reports go. */
        public Builder outputs(Path tables, Path reports) {
            outputDirectory = tables;
            reportDirectory = reports;
            return this;
        }

        /** The TensorRT cache header's version and calibrator; {@code null} or blank keeps the default. */
        public Builder trtHeader(String version, String calibrator) {
            trtVersion = version == null || version.isBlank() ? null : version.trim();
            trtCalibrator = calibrator == null || calibrator.isBlank() ? null : calibrator.trim();
            return this;
        }

        /** The request, or every problem with its settings in one exception. */
        public CalibrateRequest build() throws ProblemException {
            Problems problems = new Problems();
            problems.addAll(parseProblems.list());
            if (statistics == null) {
                problems.add("<statistics>", "no statistics file given");
            }
            if (weights != null && model == null) {
                problems.add("<weights>", "weights " + weights + " were given without a model; set the model"
                        + " (the .prototxt the .caffemodel belongs to) or drop the weights");
            }
            if (outputDirectory == null) {
                problems.add("<outputDirectory>", "no output directory given");
            }
            if (reportDirectory == null) {
                problems.add("<reportDirectory>", "no report directory given");
            }
            checkTrtHeader(problems);
            CalibrateRequest request = new CalibrateRequest(statistics, statisticsFormat, model, weights,
                    statisticsNaming, unifyScales, calibration.build(problems), registers.build(problems),
                    verify.build(problems), outputDirectory, reportDirectory, trtVersion, trtCalibrator);
            problems.throwIfAny();
            return request;
        }

        private void checkTrtHeader(Problems problems) {
            if (trtVersion != null && !trtVersion.matches("[0-9]{4}|[0-9]{6}")) {
                problems.add("<trtVersion>", "'" + trtVersion + "' is not a NV_TENSORRT_VERSION; expected 4 digits"
                        + " up to TensorRT 9 (8601 = 8.6.1) or 6 digits from TensorRT 10 (100300 = 10.3.0)");
            }
            if (trtCalibrator != null && !TrtCacheHeader.KNOWN_ALGORITHMS.contains(trtCalibrator)) {
                problems.add("<trtCalibrator>", Ids.unknown("TensorRT calibrator", trtCalibrator,
                        TrtCacheHeader.KNOWN_ALGORITHMS));
            }
        }
    }
}
