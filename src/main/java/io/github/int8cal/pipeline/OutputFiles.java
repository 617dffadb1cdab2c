package io.github.int8cal.pipeline;

import io.github.int8cal.emit.NvdlaCalibtableWriter;
import io.github.int8cal.emit.RegisterTraceWriter;
import io.github.int8cal.emit.TrtCacheWriter;
import io.github.int8cal.io.AtomicFiles;
import io.github.int8cal.report.JUnitXmlWriter;
import io.github.int8cal.report.RegistersJsonWriter;
import io.github.int8cal.report.ReportModel;
import io.github.int8cal.report.ReportWriter;
import io.github.int8cal.verify.VerificationReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The write phase: every output is rendered in memory first, then written, so that a failure
 * leaves no half-written set. The tables and the report are replaced atomically one by one;
 * {@link RegisterFiles} swaps in {@code registers/} as one set; outputs of an earlier run that
 * this run does not produce are removed.
 */
final class OutputFiles {

    /**
     * Every output's content.
     *
     * @param registersJson {@code null} when no registers were planned
     * @param fragments     file name inside {@code registers/} -> content, sorted by name
     */
    record Rendered(String cache, String calibtable, String report, String registersJson,
            SortedMap<String, String> fragments) {
    }

    /** What was written; {@code registers} is empty and {@code junitXml} null when not produced. */
    record Written(Path cache, Path calibtable, Path report, List<Path> registers, Path junitXml) {
    }

    private OutputFiles() {
    }

    static Rendered render(CalibratePipeline.Calibrated calibrated, ReportModel.ModelReport model,
            RegisterPlanning.Planned registers) {
        String cache = new TrtCacheWriter().write(calibrated.header(), calibrated.cacheRows());
        String calibtable = new NvdlaCalibtableWriter().write(calibrated.calibtableRows());
        String report = ReportWriter.render(new ReportModel(calibrated.reportRows(), model));
        if (registers == null || registers.skipped()) {
            return new Rendered(cache, calibtable, report, null, new TreeMap<>());
        }
        return new Rendered(cache, calibtable, report, RegistersJsonWriter.render(registers.plan(),
                registers.programs()), RegisterTraceWriter.fragments(registers.plan(), registers.programs()));
    }

    /**
     * Writes everything rendered; the JUnit XML is written even when the gate will fail, so that CI
     * shows the failing layers.
     *
     * @param verification {@code null} when the pass did not run
     */
    static Written write(CalibrateRequest request, Rendered rendered, VerificationReport verification, BuildLog log)
            throws IOException, io.github.int8cal.problems.ProblemException {
        Path out = request.outputDirectory();
        if (rendered.registersJson() != null) {
            RegisterFiles.checkOwned(out);
        }
        Path cache = out.resolve(CalibratePipeline.CACHE_FILE);
        Path calibtable = out.resolve(CalibratePipeline.CALIBTABLE_FILE);
        Path report = request.reportDirectory().resolve(CalibratePipeline.REPORT_FILE);
        AtomicFiles.writeString(cache, rendered.cache());
        AtomicFiles.writeString(calibtable, rendered.calibtable());
        AtomicFiles.writeString(report, rendered.report());
        Path junitXml = null;
        if (verification != null) {
            junitXml = JUnitXmlWriter.write(request.reportDirectory(), verification, request.verify().rules());
        } else if (Files.deleteIfExists(request.reportDirectory().resolve(JUnitXmlWriter.FILE_NAME))) {
            log.info("nvdla-int8: removed " + JUnitXmlWriter.FILE_NAME + " of an earlier run: this run does not"
                    + " verify");
        }
        List<Path> registerFiles = List.of();
        if (rendered.registersJson() != null) {
            registerFiles = RegisterFiles.write(out, rendered.registersJson(), rendered.fragments());
        } else if (RegisterFiles.removeStale(out)) {
            log.info("nvdla-int8: removed " + CalibratePipeline.REGISTERS_FILE + " and "
                    + RegisterTraceWriter.FRAGMENT_DIR + "/ of an earlier run: this run plans no registers");
        }
        return new Written(cache, calibtable, report, registerFiles, junitXml);
    }
}
