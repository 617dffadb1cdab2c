package io.github.int8cal.nvdla.trace;

import io.github.int8cal.nvdla.HardwareConfig;
import io.github.int8cal.problems.ProblemException;
import io.github.int8cal.problems.Problems;
import java.nio.file.Path;

/**
 * What the {@code simulate} goal was asked to run. Made with {@link #builder()}, which reports every
 * problem of the settings at once.
 *
 * @param trace             a trace {@code .cfg}, a trace directory, or a folder of trace directories
 * @param hardware          the configuration the traces were written for
 * @param threads           worker threads of the convolution engine, {@code 0}: all cores
 * @param failOnUnsupported a trace using a feature the emulator does not model fails the run
 */
public record SimulateRequest(Path trace, HardwareConfig hardware, int threads, boolean failOnUnsupported) {

    public static Builder builder() {
        return new Builder();
    }

    /** Worker threads to use: {@link #threads}, or every core for 0. */
    public int effectiveThreads() {
        return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    }

    /** Collects the settings; {@link #build()} checks all of them. */
    public static final class Builder {

        private Path trace;
        private HardwareConfig hardware = HardwareConfig.fromId(HardwareConfig.DEFAULT);
        private int threads;
        private boolean failOnUnsupported;
        private final Problems parseProblems = new Problems();

        private Builder() {
        }

        public Builder trace(Path path) {
            trace = path;
            return this;
        }

        /** The hardware by preset name; blank keeps the default. */
        public Builder hardware(String id) {
            hardware = id == null || id.isBlank() ? hardware
                    : parseProblems.parse("<hardware>", id, HardwareConfig::fromId, hardware);
            return this;
        }

        public Builder threads(int n) {
            threads = n;
            return this;
        }

        public Builder failOnUnsupported(boolean fail) {
            failOnUnsupported = fail;
            return this;
        }

        /** The request, or every problem with its settings in one exception. */
        public SimulateRequest build() throws ProblemException {
            Problems problems = new Problems();
            if (trace == null) {
                problems.add("<trace>", "no trace given; set -Dnvdla-int8.trace=<.cfg, trace directory or folder of"
                        + " trace directories>");
            }
            problems.addAll(parseProblems.list());
            if (threads < 0) {
                problems.add("<threads>", threads + " must be >= 0 (0 = all cores)");
            }
            problems.throwIfAny();
            return new SimulateRequest(trace, hardware, threads, failOnUnsupported);
        }
    }
}
