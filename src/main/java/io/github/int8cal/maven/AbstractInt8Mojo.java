package io.github.int8cal.maven;

import io.github.int8cal.nvdla.HardwareConfig;
import io.github.int8cal.problems.Problem;
import io.github.int8cal.problems.ProblemException;
import io.github.int8cal.verify.VerifySettings;
import java.util.stream.Collectors;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoFailureException;
import org.apache.maven.plugins.annotations.Parameter;

/**
 * The parameters every goal shares, declared once. Defaults come from the core's constants, so
 * the Mojo and the core cannot disagree on them.
 */
abstract class AbstractInt8Mojo extends AbstractMojo {

    /**
     * NVDLA hardware configuration: {@code nv_small}, {@code nv_small_256}, {@code nv_medium_512},
     * {@code nv_medium_1024_full}, {@code nv_small_256_full}, {@code nv_large} or {@code nv_full}.
     */
    @Parameter(property = "nvdla-int8.hardware", defaultValue = HardwareConfig.DEFAULT)
    String hardware;

    /** Worker threads of the INT8 verification (calibrate) or the convolution engine (simulate); 0 = all cores. */
    @Parameter(property = "nvdla-int8.threads", defaultValue = "" + VerifySettings.DEFAULT_THREADS)
    int threads;

    /** Skip the goal. */
    @Parameter(property = "nvdla-int8.skip", defaultValue = "false")
    boolean skip;

    /** Every problem of the goal's parameters in one build failure, one problem a line. */
    static MojoFailureException invalidConfiguration(ProblemException e) {
        return new MojoFailureException("nvdla-int8: invalid configuration:\n  " + e.problems().stream()
                .map(Problem::toString).collect(Collectors.joining("\n  ")), e);
    }
}
