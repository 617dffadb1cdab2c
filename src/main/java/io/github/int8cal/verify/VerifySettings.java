package io.github.int8cal.verify;

import java.nio.file.Path;

/**
 * How a calibrate run verifies the INT8 network against float32 and gates the build. Part of
 * {@link CalibrateRequest}, so every setting changes the up-to-date digest.
 *
 * @param enabled          {@code null}: verify whenever registers are planned (a model with
 *                         weights); {@code false}: skip the pass; {@code true}: verify (and say why
 *                         when it cannot)
 * @param samples          directory of {@code .npy} samples, or {@code null} for synthetic mode
 * @param maxSamples       at most this many samples from the directory ({@code <= 0}: all)
 * @param syntheticSamples draws per layer in synthetic mode
 * @param threads          worker threads; {@code 0} means all cores
 * @param seed             seed of the synthetic draws
 * @param rules            the gate
 */
public record VerifySettings(Boolean enabled, Path samples, int maxSamples, int syntheticSamples, int threads,
        long seed, GateRules rules) {

    /** Verify when possible, synthetic mode, 16 / 4 samples, all cores, seed 1, the default gate. */
    public static final VerifySettings DEFAULTS = new VerifySettings(null, null, 16, 4, 0, 1, GateRules.defaults());

    public VerifySettings {
        if (rules == null) {
            rules = GateRules.defaults();
        }
    }

    /** The same settings with another gate. */
    public VerifySettings withRules(GateRules r) {
        return new VerifySettings(enabled, samples, maxSamples, syntheticSamples, threads, seed, r);
    }

    /** The same settings, switched on or off ({@code null}: when possible). */
    public VerifySettings withEnabled(Boolean on) {
        return new VerifySettings(on, samples, maxSamples, syntheticSamples, threads, seed, rules);
    }

    /** The same settings with a sample directory ({@code null}: synthetic mode). */
    public VerifySettings withSamples(Path dir) {
        return new VerifySettings(enabled, dir, maxSamples, syntheticSamples, threads, seed, rules);
    }

    /** Worker threads to use: {@link #threads}, or every core for 0. */
    public int effectiveThreads() {
        return threads > 0 ? threads : Runtime.getRuntime().availableProcessors();
    }
}
