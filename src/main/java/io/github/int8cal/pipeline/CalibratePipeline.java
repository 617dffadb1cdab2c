package io.github.int8cal.pipeline;

import io.github.int8cal.calib.CalibratedTensor;
import io.github.int8cal.calib.CalibrationChoice;
import io.github.int8cal.calib.CalibrationTable;
import io.github.int8cal.calib.Calibrator;
import io.github.int8cal.emit.RegisterTraceWriter;
import io.github.int8cal.emit.TrtCacheWriter;
import io.github.int8cal.model.ModelFormat;
import io.github.int8cal.plan.RequantMode;
import io.github.int8cal.plan.RequantMode;
import io.github.int8cal.problems.Problem;
import io.github.int8cal.problems.ProblemException;
import io.github.int8cal.problems.Problems;
import io.github.int8cal.report.JUnitXmlWriter;
import io.github.int8cal.report.ReportModel;
import io.github.int8cal.stats.Statistics;
import io.github.int8cal.stats.StatisticsFormat;
import io.github.int8cal.stats.StatisticsFormat;
import io.github.int8cal.stats.StatisticsReader;
import io.github.int8cal.stats.TrtCacheHeader;
import io.github.int8cal.verify.VerificationReport;
import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Runs the calibrate goal's work as named phases, each taking and returning a value:
 * <pre>
 * read      statistics file (+ model)          -> {@link Inputs}
 * key       statistics keys -> model tensors   -> {@link Keyed}
 * calibrate amax per tensor, unified scales    -> {@link Calibrated}   (each table's rows named)
 * plan      NVDLA requantization + registers   -> {@link RegisterPlanning.Planned}   (model with weights)
 * verify    INT8 network against float32       -> {@link VerificationReport}          (when planned)
 * write     render everything, then write      -> {@link OutputFiles.Written}
 * gate      fail once naming every layer, or warn
 * </pre>
 * Problems of a phase are collected and thrown as one {@link ProblemException}; nothing is written
 * unless every output rendered. Warnings go to one {@link Warnings} accumulator, which logs them
 * and returns them with the result. See docs/architecture.md.
 */
public final class CalibratePipeline {

    public static final String CACHE_FILE = "calibration.cache";
    public static final String CALIBTABLE_FILE = "calibtable.json";
    public static final String REPORT_FILE = "report.json";
    /** NVDLA register programming, next to the tables; the fragments go to {@code registers/}. */
    public static final String REGISTERS_FILE = "registers.json";

    /** read: the statistics as read, and the model when one is given ({@code null} otherwise). */
    record Inputs(Statistics statistics, ModelCalibration model) {
    }

    /**
     * key: the statistics and the overrides by model tensor (as given without a model).
     *
     * @param importedConstants TensorRT's own constants with their imported scales (cache only)
     */
    record Keyed(Statistics perTensor, Map<String, Float> importedConstants,
            Map<String, CalibrationChoice> overrides) {
    }

    /**
     * calibrate: the calibrated table and the rows each output lists.
     *
     * @param unified        with a model: one row per model tensor after scale unification; else {@code null}
     * @param cacheRows      {@code calibration.cache}'s rows, TensorRT's names and order
     * @param calibtableRows {@code calibtable.json}'s rows, nvdla_compiler's keys and order
     * @param reportRows     {@code report.json}'s tensors
     */
    record Calibrated(CalibrationTable table, ModelCalibration.Unified unified, TrtCacheHeader header,
            List<CalibratedTensor> cacheRows, List<CalibratedTensor> calibtableRows, List<CalibratedTensor> reportRows) {
    }

    /**
     * verify: the verification of the planned network ({@code null} when it did not run) and the
     * comparison with the other mode ({@code null} unless the modes run different scales).
     */
    record Verified(VerificationReport report, ReportModel.ModeComparison comparison) {
    }

    private final BuildLog log;

    public CalibratePipeline(BuildLog log) {
        this.log = log;
    }

    public CalibrateResult run(CalibrateRequest request) throws ProblemException, IOException {
        Warnings warnings = new Warnings(log);
        PhaseTimes times = new PhaseTimes();
        log.info("nvdla-int8: calibrating " + request.statistics() + (request.model() != null ? " for model "
                + request.model() : "") + " (method " + request.calibration().method().id() + ")");
        Inputs inputs = read(request);
        times.lap("read");
        Keyed keyed = key(request, inputs);
        Calibrated calibrated = calibrate(request, inputs, keyed, warnings);
        times.lap("calibrate");
        RegisterPlanning.Planned registers = plan(request, inputs, calibrated, warnings);
        if (registers != null) {
            times.lap("plan");
        }
        Verified verified = verify(request, inputs, keyed, calibrated, registers, warnings, times);
        OutputFiles.Written written = write(request, inputs, calibrated, registers, verified, warnings);
        times.lap("render and write");
        log.info(times.render());
        logSummary(request, calibrated, written);
        if (verified.report() != null) {
            // after every output is written, so that a failed gate leaves them for inspection
            ModelVerification.gate(verified.report(), log, warnings, JUnitXmlWriter.FILE_NAME);
        }
        return new CalibrateResult(written.cache(), written.calibtable(), written.report(),
                calibrated.table().tensors().size(), methods(calibrated), warnings.all(), written.registers(),
                verified.report(), written.junitXml());
    }

    /** read: both inputs before failing, so that a broken model and broken statistics are reported together. */
    private Inputs read(CalibrateRequest request) throws ProblemException, IOException {
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
        if (log.isDebugEnabled()) {
            log.debug("nvdla-int8: read " + statistics.tensors().size() + " tensors as " + statistics.format().id());
        }
        return new Inputs(statistics, model);
    }

    /** key: every statistics key and override resolved to a model tensor; without a model, as given. */
    private static Keyed key(CalibrateRequest request, Inputs inputs) throws ProblemException {
        Map<String, CalibrationChoice> overrides = request.calibration().choices();
        if (inputs.model() == null) {
            return new Keyed(inputs.statistics(), Map.of(), overrides);
        }
        ModelCalibration.Keyed keyed = inputs.model().key(inputs.statistics(), request.statisticsNaming());
        return new Keyed(keyed.statistics(), keyed.importedConstants(),
                inputs.model().overridesByTensor(overrides));
    }

    /** calibrate: amax per tensor, then (with a model) shared scales unified and each table's rows named. */
    private Calibrated calibrate(CalibrateRequest request, Inputs inputs, Keyed keyed, Warnings warnings)
            throws ProblemException {
        CalibrationTable table = new Calibrator().calibrate(keyed.perTensor(), request.calibration().defaultChoice(),
                keyed.overrides(), request.calibration().allowMaxFallback());
        table.warnings().forEach(warnings::input);
        TrtCacheHeader header = TrtCacheWriter.header(table.importedHeader(), request.trtVersion(),
                request.trtCalibrator());
        ModelCalibration model = inputs.model();
        if (model == null) {
            return new Calibrated(table, null, header, table.tensors(), table.tensors(), table.tensors());
        }
        ModelCalibration.Unified unified = model.unify(table, keyed.perTensor(),
                unifyScales(request, inputs.statistics()));
        List<CalibratedTensor> cacheRows = model.cacheRows(unified.rows(), keyed.importedConstants());
        List<CalibratedTensor> tableRows = model.calibtableRows(unified.rows());
        String where = request.model().toString();
        model.graph().warnings().forEach(w -> warnings.input(new Problem(where, w)));
        model.colonWarnings(cacheRows, tableRows, inputs.statistics()).forEach(warnings::input);
        unified.warnings().forEach(w -> warnings.unification(where, w));
        return new Calibrated(table, unified, header, cacheRows, tableRows, List.copyOf(unified.rows().values()));
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

    /** plan: registers from the final float32 scales, i.e. those of calibtable.json; {@code null} without a model. */
    private RegisterPlanning.Planned plan(CalibrateRequest request, Inputs inputs, Calibrated calibrated,
            Warnings warnings) {
        if (inputs.model() == null) {
            return null;
        }
        boolean weightlessReported = inputs.model().graph().format() == ModelFormat.CAFFE && request.weights() == null;
        return RegisterPlanning.plan(inputs.model().graph(), calibrated.unified().rows(), request.registers(), log,
                warnings, weightlessReported, !Boolean.FALSE.equals(request.verify().enabled()));
    }

    /**
     * verify: the planned INT8 network against float32 when wanted and possible, the other mode for
     * comparison where the modes run different scales, then one warning per scale the element-wise
     * equalization overwrote (with what the pass measured).
     */
    private Verified verify(CalibrateRequest request, Inputs inputs, Keyed keyed, Calibrated calibrated,
            RegisterPlanning.Planned registers, Warnings warnings, PhaseTimes times) throws ProblemException {
        VerificationReport report = null;
        ReportModel.ModeComparison comparison = null;
        if (ModelVerification.wanted(request.verify(), registers, log, warnings)) {
            report = ModelVerification.run(inputs.model().graph(), registers.plan(), keyed.perTensor(),
                    calibrated.unified().rows(), request.verify(), log);
            VerificationReport.Timings t = report.timings();
            times.lap("verify", String.format(Locale.ROOT, "samples %.2f s, float32 %.2f s, int8 %.2f s",
                    t.loadMillis() / 1e3, t.fp32Millis() / 1e3, t.int8Millis() / 1e3));
            comparison = compareModes(request, inputs, keyed, calibrated, registers, report, times);
        }
        if (registers != null && !registers.skipped()) {
            boolean measured = report != null;
            OverwriteWarnings.describe(inputs.model().graph(), registers.plan(), report)
                    .forEach(w -> warnings.overwrite(w, measured));
        }
        return new Verified(report, comparison);
    }

    /** The other mode's plan verified with the same settings, when compiler mode overwrites scales. */
    private ReportModel.ModeComparison compareModes(CalibrateRequest request, Inputs inputs, Keyed keyed,
            Calibrated calibrated, RegisterPlanning.Planned registers, VerificationReport report, PhaseTimes times)
            throws ProblemException {
        if (!ModeComparison.wanted(registers.byMode())) {
            return null;
        }
        RequantMode mode = registers.plan().options().mode();
        RequantMode other = mode == RequantMode.COMPILER ? RequantMode.PRECISE : RequantMode.COMPILER;
        Map<RequantMode, VerificationReport> reports = new LinkedHashMap<>();
        reports.put(mode, report);
        reports.put(other, ModelVerification.runForComparison(inputs.model().graph(), registers.byMode().get(other),
                keyed.perTensor(), calibrated.unified().rows(), request.verify(), log));
        ReportModel.ModeComparison comparison = ModeComparison.section(inputs.model().graph(), mode,
                registers.byMode(), reports);
        log.info("nvdla-int8: " + ModeComparison.describe(comparison));
        times.lap("verify " + other.id() + " mode for comparison");
        return comparison;
    }

    /** write: every output rendered in memory, then written. */
    private OutputFiles.Written write(CalibrateRequest request, Inputs inputs, Calibrated calibrated,
            RegisterPlanning.Planned registers, Verified verified, Warnings warnings)
            throws ProblemException, IOException {
        ReportModel.ModelReport model = inputs.model() == null ? null : RunReport.model(request,
                inputs.model().graph(), calibrated.unified(), warnings.forReport(), registers, verified.report(),
                verified.comparison());
        OutputFiles.Rendered rendered = OutputFiles.render(calibrated, model, registers);
        return OutputFiles.write(request, rendered, verified.report(), log);
    }

    private void logSummary(CalibrateRequest request, Calibrated calibrated, OutputFiles.Written w) {
        List<Path> registers = w.registers();
        log.info("nvdla-int8: " + calibrated.table().tensors().size() + " tensors " + methods(calibrated)
                + ", header " + calibrated.header().line() + "; wrote " + w.cache() + ", " + w.calibtable() + ", "
                + w.report() + (registers.isEmpty() ? "" : ", " + registers.get(0) + " and " + (registers.size() - 1)
                        + " files in " + request.outputDirectory().resolve(RegisterTraceWriter.FRAGMENT_DIR))
                + (w.junitXml() == null ? "" : ", " + w.junitXml()));
    }

    /** Tensors per method ({@code entropy}, {@code imported}, {@code override}, ...). */
    private static TreeMap<String, Integer> methods(Calibrated calibrated) {
        TreeMap<String, Integer> methods = new TreeMap<>();
        for (CalibratedTensor t : calibrated.table().tensors()) {
            methods.merge(t.method(), 1, Integer::sum);
        }
        return methods;
    }
}
