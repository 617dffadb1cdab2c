package io.github.int8cal.maven;

import io.github.int8cal.pipeline.CalibratePipeline;
import io.github.int8cal.pipeline.CalibrateRequest;
import io.github.int8cal.calib.CalibrationMethod;
import io.github.int8cal.problems.ProblemException;
import java.io.File;
import java.io.IOException;
import java.util.List;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * Calibrates INT8 scales from activation statistics and writes a TensorRT calibration cache and
 * an {@code nvdla_compiler} calibration table into the build output.
 */
@Mojo(name = "calibrate", defaultPhase = LifecyclePhase.GENERATE_RESOURCES, threadSafe = true)
public class CalibrateMojo extends AbstractMojo {

    /** The activation statistics file. */
    @Parameter(property = "nvdla-int8.statistics", required = true)
    File statistics;

    /** Calibration method: max, percentile, entropy or mse. */
    @Parameter(property = "nvdla-int8.method", defaultValue = "entropy")
    String method;

    /** Directory of the generated tables; packaged into the jar under {@code nvdla-int8/}. */
    @Parameter(property = "nvdla-int8.outputDirectory",
            defaultValue = "${project.build.directory}/generated-resources/nvdla-int8")
    File outputDirectory;

    /** Directory of the reports (not packaged). */
    @Parameter(property = "nvdla-int8.reportDirectory", defaultValue = "${project.build.directory}/nvdla-int8")
    File reportDirectory;

    /** Skip the goal. */
    @Parameter(property = "nvdla-int8.skip", defaultValue = "false")
    boolean skip;

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    MavenProject project;

    @Override
    public void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info("nvdla-int8: skipped");
            return;
        }
        CalibrateRequest request = new CalibrateRequest(statistics.toPath(), null,
                CalibrationMethod.fromId(method), 99.99, false, List.of(), null, null,
                outputDirectory.toPath(), reportDirectory.toPath());
        try {
            new CalibratePipeline(new MavenBuildLog(getLog())).run(request);
        } catch (ProblemException e) {
            throw new MojoFailureException(e.getMessage(), e);
        } catch (IOException e) {
            throw new MojoExecutionException("nvdla-int8: " + e.getMessage(), e);
        }
    }
}
