package io.github.int8cal.maven;

import io.github.int8cal.nvdla.HardwareConfig;
import io.github.int8cal.nvdla.trace.CrcCheck;
import io.github.int8cal.nvdla.trace.PredictedCounters;
import io.github.int8cal.nvdla.trace.SimulateRequest;
import io.github.int8cal.report.SimulationReport;
import io.github.int8cal.nvdla.trace.TraceResult;
import io.github.int8cal.nvdla.trace.TraceRunner;
import io.github.int8cal.problems.ProblemException;
import java.io.File;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * Runs NVDLA register-level trace tests ({@code .cfg} + {@code .dat}) on the bit-exact INT8
 * emulator and compares every {@code check_crc} with its golden CRC. Works without a project:
 * {@code mvn io.github.int8cal:nvdla-int8-maven-plugin:<version>:simulate -Dnvdla-int8.trace=DIR}.
 */
@Mojo(name = "simulate", requiresProject = false, threadSafe = true)
public class SimulateMojo extends AbstractInt8Mojo {

    /** A trace {@code .cfg}, a trace directory, or a folder of trace directories (all run). */
    @Parameter(property = "nvdla-int8.trace", required = true)
    File trace;

    /** Fail the build when a trace uses a feature the emulator does not model. */
    @Parameter(property = "nvdla-int8.failOnUnsupported", defaultValue = "false")
    boolean failOnUnsupported;

    /**
     * Where summary.json and the output regions go; default {@code target/nvdla-int8/simulate} of
     * the project, or of the current directory when there is no project.
     */
    @Parameter(property = "nvdla-int8.simulateDirectory")
    File outputDirectory;

    @Parameter(defaultValue = "${project}", readonly = true)
    MavenProject project;

    @Override
    String skipped() {
        return "nvdla-int8: simulate skipped";
    }

    @Override
    void run() throws MojoExecutionException, MojoFailureException {
        SimulateRequest request = request(() -> SimulateRequest.of(trace == null ? null : trace.toPath(), hardware,
                threads, failOnUnsupported));
        HardwareConfig hw = request.hardware();
        List<TraceResult> results;
        try {
            results = new TraceRunner(hw, request.effectiveThreads()).run(request.trace());
        } catch (ProblemException e) {
            throw new MojoFailureException(e.getMessage(), e);
        } catch (IOException e) {
            throw new MojoExecutionException("nvdla-int8: cannot read traces: " + e.getMessage(), e);
        }
        for (TraceResult r : results) {
            logResult(r);
        }
        logSummaryTable(hw, results);
        Path dir = outputDirectory();
        try {
            Path summary = SimulationReport.write(dir, hw, results);
            getLog().info("nvdla-int8: summary written to " + summary);
        } catch (IOException e) {
            throw new MojoExecutionException("nvdla-int8: cannot write the simulation summary: " + e.getMessage(), e);
        }
        failIfNeeded(results, request.failOnUnsupported());
    }

    private Path outputDirectory() {
        if (outputDirectory != null) {
            return outputDirectory.toPath();
        }
        // without a pom Maven runs a stub project whose build directory is not interpolated
        if (project != null && project.getFile() != null && project.getBuild() != null
                && project.getBuild().getDirectory() != null) {
            return Path.of(project.getBuild().getDirectory(), "nvdla-int8", "simulate");
        }
        return Path.of("target", "nvdla-int8", "simulate").toAbsolutePath();
    }

    private void logResult(TraceResult r) {
        if (r.status() == TraceResult.Status.UNSUPPORTED) {
            getLog().warn("UNSUPPORTED " + r.name() + ": " + r.reason());
            return;
        }
        for (CrcCheck c : r.checks()) {
            String line = (c.match() ? "MATCH " : "MISMATCH ") + r.name() + " " + SimulationReport.hex(c.base()) + "+"
                    + SimulationReport.hex(c.size()) + " expected " + SimulationReport.crc(c.golden()) + " actual "
                    + SimulationReport.crc(c.actual());
            if (c.match()) {
                getLog().info(line);
            } else {
                getLog().error(line);
            }
        }
    }

    private void logSummaryTable(HardwareConfig hw, List<TraceResult> results) {
        int width = Math.max(5, results.stream().mapToInt(r -> r.name().length()).max().orElse(5));
        String format = "%-" + width + "s  %-11s  %6s  %9s  %9s  %11s";
        getLog().info("nvdla-int8: " + results.size() + " trace(s) on " + hw.name());
        getLog().info(String.format(Locale.ROOT, format, "trace", "result", "checks", "cacc_sat", "sdp_sat",
                "int8_clip"));
        for (TraceResult r : results) {
            PredictedCounters pc = r.counters();
            getLog().info(String.format(Locale.ROOT, format, r.name(), r.status(), r.checks().size(),
                    pc == null || pc.caccOutSaturation() == null ? "-" : pc.caccOutSaturation(),
                    pc == null ? "-" : pc.sdpOutSaturation(), pc == null ? "-" : pc.int8Clipped()));
        }
        getLog().info(String.format(Locale.ROOT, "nvdla-int8: %d MATCH, %d MISMATCH, %d UNSUPPORTED",
                count(results, TraceResult.Status.MATCH), count(results, TraceResult.Status.MISMATCH),
                count(results, TraceResult.Status.UNSUPPORTED)));
    }

    private static void failIfNeeded(List<TraceResult> results, boolean failOnUnsupported) throws MojoFailureException {
        List<String> mismatched = results.stream().filter(r -> r.status() == TraceResult.Status.MISMATCH)
                .map(TraceResult::name).toList();
        List<String> unsupported = results.stream().filter(r -> r.status() == TraceResult.Status.UNSUPPORTED)
                .map(TraceResult::name).toList();
        StringBuilder message = new StringBuilder();
        if (!mismatched.isEmpty()) {
            message.append(mismatched.size()).append(" of ").append(results.size())
                    .append(" trace(s) do not match their golden CRC: ").append(String.join(", ", mismatched));
        }
        if (failOnUnsupported && !unsupported.isEmpty()) {
            if (message.length() > 0) {
                message.append("; ");
            }
            message.append(unsupported.size()).append(" trace(s) use features the emulator does not model: ")
                    .append(String.join(", ", unsupported))
                    .append(" (set -Dnvdla-int8.failOnUnsupported=false to only report them)");
        }
        if (message.length() > 0) {
            throw new MojoFailureException("nvdla-int8: " + message);
        }
    }

    private static long count(List<TraceResult> results, TraceResult.Status status) {
        return results.stream().filter(r -> r.status() == status).count();
    }
}
