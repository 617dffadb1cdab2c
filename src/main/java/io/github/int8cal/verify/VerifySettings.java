package io.github.int8cal.verify;

import io.github.int8cal.problems.CheckedBuilder;
import io.github.int8cal.problems.Problems;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * How the verify stage runs the INT8 network against float32 and what the gate demands. The one
 * options type of the stage: the calibrate request carries it and {@link VerifyRequest} references
 * it. Built with {@link #builder()}, which starts from the defaults below and checks every value once.
 *
 * @param enabled          {@code null}: verify whenever registers are planned (a model with
 *                         weights); {@code false}: skip the pass; {@code true}: verify (and say why
 *                         when it cannot)
 * @param samples          directory of {@code .npy} samples, or {@code null} for synthetic mode
 * @param maxSamples       at most this many samples from the directory, {@code 0}: all
 *                         ({@value #DEFAULT_MAX_SAMPLES})
 * @param syntheticSamples draws per layer in synthetic mode, {@code >= 1} ({@value #DEFAULT_SYNTHETIC_SAMPLES})
 * @param threads          worker threads, {@code 0}: all cores
 * @param seed             seed of the synthetic draws ({@value #DEFAULT_SEED})
 * @param rules            the gate
 */
public record VerifySettings(Boolean enabled, Path samples, int maxSamples, int syntheticSamples, int threads,
        long seed, GateRules rules) {

    public static final int DEFAULT_MAX_SAMPLES = 16;
    public static final int DEFAULT_SYNTHETIC_SAMPLES = 4;
    /** All cores. */
    public static final int DEFAULT_THREADS = 0;
    public static final long DEFAULT_SEED = 1;

    public static Builder builder() {
        return new Builder();
    }

    /** Verify when possible, synthetic mode, 16 / 4 samples, all cores, seed 1, the default gate. */
    public static VerifySettings defaults() {
        return builder().build(new Problems());
    }

    /** Worker threads to use: {@link #threads}, or every core for 0. */
    public int effectiveThreads() {
        return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    }

    /** Collects the settings; {@link #build(Problems)} reports every problem at once. */
    public static final class Builder implements CheckedBuilder<VerifySettings> {

        private Boolean enabled;
        private Path samples;
        private int maxSamples = DEFAULT_MAX_SAMPLES;
        private int syntheticSamples = DEFAULT_SYNTHETIC_SAMPLES;
        private int threads = DEFAULT_THREADS;
        private long seed = DEFAULT_SEED;
        private final GateRules.Builder rules = GateRules.builder();

        private Builder() {
        }

        /** {@code null}: whenever registers are planned. */
        public Builder enabled(Boolean on) {
            enabled = on;
            return this;
        }

        /** {@code null}: synthetic mode. */
        public Builder samples(Path dir) {
            samples = dir;
            return this;
        }

        public Builder maxSamples(int n) {
            maxSamples = n;
            return this;
        }

        public Builder syntheticSamples(int n) {
            syntheticSamples = n;
            return this;
        }

        public Builder threads(int n) {
            threads = n;
            return this;
        }

        public Builder seed(long s) {
            seed = s;
            return this;
        }

        /** Sets gate limits. */
        public Builder rules(Consumer<GateRules.Builder> limits) {
            limits.accept(rules);
            return this;
        }


        @Override
        public VerifySettings build(Problems problems) {
            if (maxSamples < 0) {
                problems.add("<maxSamples>", maxSamples + " must be >= 0 (0 = all samples)");
            }
            if (syntheticSamples < 1) {
                problems.add("<syntheticSamples>", syntheticSamples + " must be >= 1");
            }
            if (threads < 0) {
                problems.add("<threads>", threads + " must be >= 0 (0 = all cores)");
            }
            return new VerifySettings(enabled, samples, maxSamples, syntheticSamples, threads, seed,
                    rules.build(problems));
        }
    }
}
