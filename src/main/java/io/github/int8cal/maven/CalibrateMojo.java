package io.github.int8cal.maven;

import io.github.int8cal.pipeline.CalibratePipeline;
import io.github.int8cal.pipeline.CalibrateRequest;
import io.github.int8cal.pipeline.UpToDateCheck;
import io.github.int8cal.problems.ProblemException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.apache.maven.model.Resource;
import org.apache.maven.plugin.MojoExecutionException;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugin.descriptor.PluginDescriptor;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.apache.maven.project.MavenProject;

/**
 * Calibrates INT8 scales from activation statistics and writes a TensorRT calibration cache
 * ({@code calibration.cache}) and an {@code nvdla_compiler} calibration table
 * ({@code calibtable.json}) into the build output, where they are packaged with the artifact under
 * {@code nvdla-int8/}, plus {@code report.json} in the report directory. With a model that has
 * weights it also plans NVDLA's requantization and writes it as register programming
 * ({@code registers.json} and {@code registers/<layer>.cfg} / {@code .dat}) next to the tables.
 */
@Mojo(name = "calibrate", defaultPhase = LifecyclePhase.GENERATE_RESOURCES, threadSafe = true)
public class CalibrateMojo extends CalibrateParameters {

    /** Resource target path of the generated tables inside the artifact. */
    static final String TARGET_PATH = "nvdla-int8";

    /** Run even when inputs, configuration and plugin version are unchanged since the last run. */
    @Parameter(property = "nvdla-int8.force", defaultValue = "false")
    boolean force;

    @Parameter(defaultValue = "${project}", readonly = true, required = true)
    MavenProject project;

    @Parameter(defaultValue = "${plugin}", readonly = true, required = true)
    PluginDescriptor plugin;

    @Override
    String skipped() {
        return "nvdla-int8: skipped (nvdla-int8.skip=true)";
    }

    @Override
    void run() throws MojoExecutionException, MojoFailureException {
        CalibrateRequest request = request(this::toRequest);
        registerResourceRoot();
        try {
            UpToDateCheck check = new UpToDateCheck(request.reportDirectory().resolve(".calibrate.digest"));
            String digest = UpToDateCheck.digest(plugin.getVersion(), request.toString(), request.inputFiles());
            if (!force && check.isUpToDate(digest)) {
                getLog().info("nvdla-int8: outputs are up to date (inputs, configuration and plugin version unchanged); nothing to do");
                return;
            }
            check.invalidate();
            List<Path> written = new CalibratePipeline(new MavenBuildLog(getLog())).run(request).written();
            check.record(digest, written);
        } catch (ProblemException e) {
            throw new MojoFailureException(e.getMessage(), e);
        } catch (IOException e) {
            throw new MojoExecutionException("nvdla-int8: I/O error: " + e.getMessage(), e);
        }
    }

    private void registerResourceRoot() {
        String dir = outputDirectory.getAbsolutePath();
        boolean present = project.getResources().stream().anyMatch(r -> dir.equals(r.getDirectory()));
        if (!present) {
            Resource resource = new Resource();
            resource.setDirectory(dir);
            resource.setTargetPath(TARGET_PATH);
            project.addResource(resource);
        }
    }
}
