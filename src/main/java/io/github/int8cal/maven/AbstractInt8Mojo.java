package io.github.int8cal.maven;

import io.github.int8cal.nvdla.HardwareConfig;
import io.github.int8cal.problems.Problem;
import io.github.int8cal.problems.ProblemException;
import io.github.int8cal.verify.VerifySettings;
import java.util.stream.Collectors;
import org.apache.maven.plugin.AbstractMojo;
import org.apache.maven.plugin.MojoExecutionException;
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

    /** Maps the goal's parameters to its core request; the core checks them all. */
    @FunctionalInterface
    interface RequestMapping<T> {
        T map() throws ProblemException;
    }

    @Override
    public final void execute() throws MojoExecutionException, MojoFailureException {
        if (skip) {
            getLog().info(skipped());
            return;
        }
        run();
    }

    /** The line logged when the goal is skipped. */
    abstract String skipped();

    /** The goal's work, when not skipped. */
    abstract void run() throws MojoExecutionException, MojoFailureException;

    /** The goal's request; a problem with its parameters fails the build naming every one, one a line. */
    static <T> T request(RequestMapping<T> mapping) throws MojoFailureException {
        try {
            return mapping.map();
        } catch (ProblemException e) {
            throw new MojoFailureException("nvdla-int8: invalid configuration:\n  " + e.problems().stream()
                    .map(Problem::toString).collect(Collectors.joining("\n  ")), e);
        }
    }
}
