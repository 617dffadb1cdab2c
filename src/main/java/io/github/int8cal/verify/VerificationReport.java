package io.github.int8cal.verify;

import java.util.List;

/**
 * The result of a verification run. Everything but {@code timings} is deterministic for the same
 * inputs and seed.
 *
 * @param mode       {@code samples} or {@code synthetic}
 * @param samples    samples run end to end (samples mode) or draws per layer (synthetic mode)
 * @param seed       the synthetic seed (reported in both modes)
 * @param layers     one entry per INT8 step, in execution order
 * @param outputs    network outputs (top-1 agreement for classifiers in samples mode)
 * @param violations every gate violation, in layer order
 * @param failOnViolation whether the violations fail the build
 * @param timings    where the time went (not part of the written reports)
 */
public record VerificationReport(String mode, int samples, long seed, List<LayerMetrics> layers,
        List<OutputMetrics> outputs, List<Violation> violations, boolean failOnViolation, Timings timings) {

    public static final String MODE_SAMPLES = "samples";
    public static final String MODE_SYNTHETIC = "synthetic";

    public VerificationReport {
        layers = List.copyOf(layers);
        outputs = List.copyOf(outputs);
        violations = List.copyOf(violations);
    }

    /** True when the build may go on: no violations, or violations are only warnings. */
    public boolean passed() {
        return violations.isEmpty() || !failOnViolation;
    }

    public java.util.Optional<LayerMetrics> layer(String name) {
        return layers.stream().filter(l -> l.layer().equals(name)).findFirst();
    }

    /** Wall-clock milliseconds per phase. */
    public record Timings(long loadMillis, long fp32Millis, long int8Millis) {
    }
}
