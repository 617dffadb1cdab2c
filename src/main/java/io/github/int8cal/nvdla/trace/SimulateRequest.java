package io.github.int8cal.nvdla.trace;

import io.github.int8cal.nvdla.HardwareConfig;
import io.github.int8cal.problems.ProblemException;
import io.github.int8cal.problems.Problems;
import java.nio.file.Path;

/**
 * What the {@code simulate} goal was asked to run. Made with {@link #of}, which reports every
 * problem of the settings at once.
 *
 * @param trace             a trace {@code .cfg}, a trace directory, or a folder of trace directories
 * @param hardware          the configuration the traces were written for
 * @param threads           worker threads of the convolution engine, {@code 0}: all cores
 * @param failOnUnsupported a trace using a feature the emulator does not model fails the run
 */
public record SimulateRequest(Path trace, HardwareConfig hardware, int threads, boolean failOnUnsupported) {

    /**
     * The request, or every problem with the settings in one exception.
     *
     * @param trace      {@code null} when none was given (a problem)
     * @param hardwareId the preset name; blank means {@value HardwareConfig#DEFAULT}
     */
    public static SimulateRequest of(Path trace, String hardwareId, int threads, boolean failOnUnsupported)
            throws ProblemException {
        Problems problems = new Problems();
        if (trace == null) {
            problems.add("<trace>", "no trace given; set -Dnvdla-int8.trace=<.cfg, trace directory or folder of"
                    + " trace directories>");
        }
        HardwareConfig hardware = problems.parse("<hardware>", hardwareId == null || hardwareId.isBlank()
                ? HardwareConfig.DEFAULT : hardwareId, HardwareConfig::fromId, HardwareConfig.NV_SMALL);
        if (threads < 0) {
            problems.add("<threads>", threads + " must be >= 0 (0 = all cores)");
        }
        problems.throwIfAny();
        return new SimulateRequest(trace, hardware, threads, failOnUnsupported);
    }

    /** Worker threads to use: {@link #threads}, or every core for 0. */
    public int effectiveThreads() {
        return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    }
}
