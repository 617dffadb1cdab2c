package io.github.int8cal.pipeline;

import io.github.int8cal.calib.CalibratedTensor;
import io.github.int8cal.calib.CalibrationChoice;
import io.github.int8cal.calib.CalibrationMethod;
import io.github.int8cal.calib.CalibrationTable;
import io.github.int8cal.calib.Calibrator;
import io.github.int8cal.calib.PercentileCalibrator;
import io.github.int8cal.emit.NvdlaCalibtableWriter;
import io.github.int8cal.emit.RegistersJsonWriter;
import io.github.int8cal.emit.ReportWriter;
import io.github.int8cal.emit.TrtCacheWriter;
import io.github.int8cal.io.AtomicFiles;
import io.github.int8cal.model.ModelFormat;
import io.github.int8cal.plan.RequantMode;
import io.github.int8cal.problems.Problem;
import io.github.int8cal.problems.ProblemException;
import io.github.int8cal.problems.Problems;
import io.github.int8cal.stats.Statistics;
import io.github.int8cal.stats.StatisticsFormat;
import io.github.int8cal.stats.StatisticsReader;
import io.github.int8cal.stats.TrtCacheHeader;
import io.github.int8cal.verify.JUnitXmlWriter;
import io.github.int8cal.verify.VerificationReport;
import java.nio.file.Files;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs the calibrate goal's work: read statistics, choose amax values, write the tables.
 *
 * <p>Flow: validate the request → {@link StatisticsReader} → {@link Calibrator} (a
 * {@link CalibrationTable}, the hand-over point for later stages) → render the TensorRT cache, the
 * nvdla_compiler table and the report in memory; with a weighted model also plan and render the
 * NVDLA registers ({@link RegisterPlanning}) → write everything atomically only once all of it has
 * rendered ({@link RegisterFiles} swaps in the {@code registers/} folder as one set). Problems of each stage are collected and thrown as one {@link ProblemException};
 * warnings are logged and returned.
 */
public final class CalibratePipeline {

    public static final String CACHE_FILE = "calibration.cache";
    public static final String CALIBTABLE_FILE = "calibtable.json";
    public static final String REPORT_FILE = "report.json";
    /** NVDLA register programming, next to the tables; the fragments go to {@code registers/}. */
    public static final String REGISTERS_FILE = "registers.json";

    private final BuildLog log;

    public CalibratePipeline(BuildLog log) {
        this.log = log;
    }

    public CalibrateResult run(CalibrateRequest request) throws ProblemException, IOException {
        CalibrationMethod method = request.method() != null ? request.method() : CalibrationMethod.ENTROPY;
        Map<String, CalibrationChoice> overrides = validate(request, method);
        PhaseTimes times = new PhaseTimes();
        log.info("nvdla-int8: calibrating " + request.statistics()
                + (request.model() != null ? " for model " + request.model() : "") + " (method " + method.id() + ")");

        // read both inputs before failing, so that a broken model and broken statistics are reported together
        Problems problems = new Problems();
        ModelCalibration model = null;
        if (request.model() != null) {
            try {
                model = ModelCalibration.read(request, log);
            } catch (ProblemException e) {
                problems.addAll(e.problems());
            }
        }
        Statistics statistics = null;
        try {
            statistics = new StatisticsReader().read(request.statistics(), request.statisticsFormat());
        } catch (ProblemException e) {
            problems.addAll(e.problems());
        }
        problems.throwIfAny();
        times.lap("read");
        if (log.isDebugEnabled()) {
            log.debug("nvdla-int8: read " + statistics.tensors().size() + " tensors as " + statistics.format().id());
        }
        Statistics perTensor = statistics;
        ModelCalibration.Keyed keyed = null;
        if (model != null) {
            keyed = model.key(statistics, request.statisticsNaming());
            perTensor = keyed.statistics();
            overrides = model.overridesByTensor(overrides);
        }
        CalibrationTable table = new Calibrator().calibrate(perTensor,
                CalibrationChoice.of(method, request.percentile()), overrides, request.allowMaxFallback());
        times.lap("calibrate");

        TrtCacheHeader header = TrtCacheWriter.header(table.importedHeader(), request.trtVersion(),
                request.trtCalibrator());
        List<Problem> warnings = new ArrayList<>(table.warnings());
        String cache;
        String calibtable;
        String report;
        RegisterPlanning.Planned registers = null;
        VerificationReport verification = null;
        if (model == null) {
            ModelVerification.wanted(request.verify(), null, log);
            cache = new TrtCacheWriter().write(header, table.tensors());
            calibtable = new NvdlaCalibtableWriter().write(table.tensors());
            report = new ReportWriter().write(table.tensors());
        } else {
            ModelCalibration.Unified unified = model.unify(table, perTensor, unifyScales(request, statistics));
            List<CalibratedTensor> cacheRows = model.cacheRows(unified.rows(), keyed.importedConstants());
            List<CalibratedTensor> tableRows = model.calibtableRows(unified.rows());
            String where = request.model().toString();
            List<Problem> modelWarnings = new ArrayList<>();
            model.graph().warnings().forEach(w -> modelWarnings.add(new Problem(where, w)));
            for (Problem w : model.colonWarnings(cacheRows, tableRows, statistics)) {
                modelWarnings.add(w);
            }
            modelWarnings.forEach(w -> log.warn("nvdla-int8: " + w));
            // unify() has logged its own warnings
            unified.warnings().forEach(w -> modelWarnings.add(new Problem(where, w)));
            List<String> reportWarnings = new ArrayList<>();
            table.warnings().forEach(w -> reportWarnings.add(w.toString()));
            modelWarnings.forEach(w -> reportWarnings.add(w.toString()));
            warnings.addAll(modelWarnings);
            cache = new TrtCacheWriter().write(header, cacheRows);
            calibtable = new NvdlaCalibtableWriter().write(tableRows);
            // registers from the final float32 scales, i.e. those of calibtable.json
            registers = RegisterPlanning.plan(model.graph(), unified.rows(), request.registers(), log,
                    model.graph().format() == ModelFormat.CAFFE && request.weights() == null,
                    !Boolean.FALSE.equals(request.verify().enabled()));
            warnings.addAll(registers.warnings());
            times.lap("unify and plan");
            ReportWriter.ModelReport modelReport = model.report(request, unified, reportWarnings, registers);
            boolean verifying = ModelVerification.wanted(request.verify(), registers, log);
            if (verifying) {
                verification = ModelVerification.run(model.graph(), registers.plan(), perTensor, unified.rows(),
                        request.verify(), log);
                modelReport = modelReport.withVerification(ModelVerification.section(model.graph(), verification));
                VerificationReport.Timings t = verification.timings();
                times.lap("verify", String.format(Locale.ROOT, "samples %.2f s, float32 %.2f s, int8 %.2f s",
                        t.loadMillis() / 1e3, t.fp32Millis() / 1e3, t.int8Millis() / 1e3));
                if (ModeComparison.wanted(registers.byMode())) {
                    RequantMode mode = registers.plan().options().mode();
                    RequantMode other = mode == RequantMode.COMPILER ? RequantMode.PRECISE : RequantMode.COMPILER;
                    VerificationReport otherReport = ModelVerification.runForComparison(model.graph(),
                            registers.byMode().get(other), perTensor, unified.rows(), request.verify(), log);
                    Map<RequantMode, VerificationReport> reports = new LinkedHashMap<>();
                    reports.put(mode, verification);
                    reports.put(other, otherReport);
                    com.fasterxml.jackson.databind.node.ObjectNode comparison = ModeComparison.section(model.graph(),
                            mode, registers.byMode(), reports);
                    log.info("nvdla-int8: " + ModeComparison.describe(comparison));
                    modelReport = modelReport.withModeComparison(comparison);
                    times.lap("verify " + RegisterPlanning.label(other) + " mode for comparison");
                }
            }
            if (registers != null && !registers.skipped()) {
                List<Problem> overwritten = OverwriteWarnings.describe(model.graph(), registers.plan(), verification);
                if (verifying) {
                    // without verification RegisterPlanning already logged the planner's diagnostics
                    overwritten.forEach(w -> log.warn("nvdla-int8: " + w));
                    warnings.addAll(overwritten);
                }
                modelReport = modelReport.withMoreWarnings(overwritten.stream().map(Problem::toString).toList());
            }
            report = new ReportWriter().write(ModelCalibration.reportRows(unified), modelReport);
        }
        boolean writeRegisters = registers != null && !registers.skipped();
        if (writeRegisters) {
            RegisterFiles.checkOwned(request.outputDirectory());
        }

        // everything is rendered: write
        Path cachePath = request.outputDirectory().resolve(CACHE_FILE);
        Path calibtablePath = request.outputDirectory().resolve(CALIBTABLE_FILE);
        Path reportPath = request.reportDirectory().resolve(REPORT_FILE);
        AtomicFiles.writeString(cachePath, cache);
        AtomicFiles.writeString(calibtablePath, calibtable);
        AtomicFiles.writeString(reportPath, report);
        // the JUnit XML is written even when the gate fails, so that CI shows the failing layers
        Path junitXml = null;
        if (verification != null) {
            junitXml = JUnitXmlWriter.write(request.reportDirectory(), verification, request.verify().rules());
        } else if (Files.deleteIfExists(request.reportDirectory().resolve(JUnitXmlWriter.FILE_NAME))) {
            log.info("nvdla-int8: removed " + JUnitXmlWriter.FILE_NAME + " of an earlier run: this run does not"
                    + " verify");
        }
        List<Path> registerFiles = List.of();
        if (writeRegisters) {
            registerFiles = RegisterFiles.write(request.outputDirectory(), registers.json(), registers.fragments());
        } else if (RegisterFiles.removeStale(request.outputDirectory())) {
            log.info("nvdla-int8: removed " + REGISTERS_FILE + " and " + RegistersJsonWriter.FRAGMENT_DIR
                    + "/ of an earlier run: this run plans no registers");
        }

        for (Problem w : table.warnings()) {
            log.warn("nvdla-int8: " + w);
        }
        Map<String, Integer> methods = new TreeMap<>();
        for (CalibratedTensor t : table.tensors()) {
            methods.merge(t.method(), 1, Integer::sum);
        }
        times.lap("render and write");
        log.info(times.render());
        log.info("nvdla-int8: " + table.tensors().size() + " tensors " + methods + ", header " + header.line()
                + "; wrote " + cachePath + ", " + calibtablePath + ", " + reportPath
                + (registerFiles.isEmpty() ? "" : ", " + registerFiles.get(0) + " and " + (registerFiles.size() - 1)
                        + " files in " + request.outputDirectory().resolve(RegistersJsonWriter.FRAGMENT_DIR))
                + (junitXml == null ? "" : ", " + junitXml));
        if (verification != null) {
            // after every output is written, so that a failed gate leaves them for inspection
            ModelVerification.gate(verification, request.verify().rules(), log, JUnitXmlWriter.FILE_NAME);
            if (!verification.violations().isEmpty()) {
                verification.violations().forEach(v -> warnings.add(new Problem("layer '" + v.layer() + "'",
                        "INT8 gate: " + ModelVerification.describe(v))));
            }
        }
        return new CalibrateResult(cachePath, calibtablePath, reportPath, table.tensors().size(),
                CalibrateResult.count(methods), warnings, registerFiles, verification, junitXml);
    }

    /**
     * An imported calibration table is the deployment table: unless asked, it is checked as it is, so
     * that the registers are what nvdla_compiler programs from that very table. Statistics are ours to
     * calibrate, and tensors NVDLA runs at one scale get one amax.
     */
    private boolean unifyScales(CalibrateRequest request, Statistics statistics) {
        if (request.unifyScales() != null) {
            return request.unifyScales();
        }
        boolean table = statistics.format() == StatisticsFormat.TRT_CACHE
                || statistics.format() == StatisticsFormat.NVDLA_JSON;
        if (table) {
            log.info("nvdla-int8: the " + statistics.format().id() + " table is kept as given (unifyScales not set;"
                    + " set it to true to give tensors NVDLA runs at one scale one amax)");
        }
        return !table;
    }

    /** Checks the request itself (before any file is read); returns the overrides by tensor. */
    private static Map<String, CalibrationChoice> validate(CalibrateRequest request, CalibrationMethod method)
            throws ProblemException {
        Problems problems = new Problems();
        if (request.statistics() == null) {
            problems.add("statistics", "no statistics file given");
        }
        if (request.outputDirectory() == null) {
            problems.add("outputDirectory", "no output directory given");
        }
        if (request.weights() != null && request.model() == null) {
            problems.add("weights", "weights " + request.weights() + " were given without a model; set the model"
                    + " (the .prototxt the .caffemodel belongs to) or drop the weights");
        }
        if (request.reportDirectory() == null) {
            problems.add("reportDirectory", "no report directory given");
        }
        if (!validPercentile(request.percentile())) {
            problems.add("percentile", request.percentile() + " is not in (0, 100]; the default is "
                    + PercentileCalibrator.DEFAULT_PERCENTILE);
        }
        if (request.trtVersion() != null && !request.trtVersion().matches("[0-9]{4}|[0-9]{6}")) {
            problems.add("trtVersion", "'" + request.trtVersion() + "' is not a NV_TENSORRT_VERSION; expected 4 digits"
                    + " up to TensorRT 9 (8601 = 8.6.1) or 6 digits from TensorRT 10 (100300 = 10.3.0)");
        }
        if (request.trtCalibrator() != null && !TrtCacheHeader.KNOWN_ALGORITHMS.contains(request.trtCalibrator())) {
            problems.add("trtCalibrator", "'" + request.trtCalibrator() + "' is not a TensorRT calibrator; expected"
                    + " one of " + String.join(", ", TrtCacheHeader.KNOWN_ALGORITHMS));
        }
        RegisterSettings registers = request.registers();
        if (registers.maxMantissaBitsLost() < 0 || registers.maxMantissaBitsLost() > 15) {
            problems.add("maxMantissaBitsLost", registers.maxMantissaBitsLost() + " is not in [0, 15]; the"
                    + " multipliers have 15 bits, the default is " + RegisterSettings.DEFAULTS.maxMantissaBitsLost());
        }
        if (!Float.isFinite(registers.inputMean())) {
            problems.add("inputMean", registers.inputMean() + " is not a finite number");
        }
        if (!Float.isFinite(registers.inputNormalize()) || registers.inputNormalize() == 0) {
            problems.add("inputNormalize", registers.inputNormalize() + " must be a finite, non-zero factor"
                    + " (x = (pixel - inputMean) * inputNormalize); the default is 1");
        }
        Map<String, CalibrationChoice> overrides = new LinkedHashMap<>();
        for (TensorOverride o : request.overrides()) {
            String where = "override '" + o.tensor() + "'";
            if (o.tensor() == null || o.tensor().isEmpty()) {
                problems.add("override", "an override has no tensor name");
                continue;
            }
            if (overrides.containsKey(o.tensor())) {
                problems.add(where, "the tensor is overridden twice; keep one override");
                continue;
            }
            CalibrationChoice choice = choice(o, method, request.percentile(), where, problems);
            if (choice != null) {
                overrides.put(o.tensor(), choice);
            }
        }
        problems.throwIfAny();
        return overrides;
    }

    private static CalibrationChoice choice(TensorOverride o, CalibrationMethod method, double percentile,
            String where, Problems problems) {
        if (o.amax() != null) {
            if (o.method() != null || o.percentile() != null) {
                problems.add(where, "give either a fixed amax or a method/percentile, not both");
                return null;
            }
            if (!Double.isFinite(o.amax()) || o.amax() < 0) {
                problems.add(where, "amax " + o.amax() + " must be a finite number >= 0");
                return null;
            }
            return CalibrationChoice.fixed(o.amax());
        }
        // A percentile alone means "percentile method with this value".
        CalibrationMethod m = o.method() != null ? o.method()
                : o.percentile() != null ? CalibrationMethod.PERCENTILE : method;
        if (o.percentile() != null) {
            if (m != CalibrationMethod.PERCENTILE) {
                problems.add(where, "a percentile only applies to method percentile, not " + m.id());
                return null;
            }
            if (!validPercentile(o.percentile())) {
                problems.add(where, "percentile " + o.percentile() + " is not in (0, 100]");
                return null;
            }
        }
        if (o.method() == null && o.percentile() == null) {
            problems.add(where, "the override sets nothing; give amax, method or percentile");
            return null;
        }
        return CalibrationChoice.of(m, o.percentile() != null ? o.percentile() : percentile);
    }

    private static boolean validPercentile(double p) {
        return p > 0 && p <= 100;
    }
}
