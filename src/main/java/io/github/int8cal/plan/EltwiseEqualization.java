package io.github.int8cal.plan;

import java.util.List;

/**
 * Result of nvdla_compiler's equalization of one element-wise op's two input scales:
 * {@code overwrittenInput} is 0 or 1 in the compiler's edge order (-1 when nothing changed),
 * that input's tensor then runs at {@code commonScale}. Diagnostics say what it costs.
 */
public record EltwiseEqualization(String layer, int overwrittenInput, EltwiseInput overwritten, EltwiseInput kept,
        float commonScale, List<Diagnostic> diagnostics) {

    public EltwiseEqualization {
        diagnostics = List.copyOf(diagnostics);
    }

    public boolean rejected() {
        return diagnostics.stream().anyMatch(d -> d.severity() == Severity.ERROR);
    }

    /** The overwritten producer's name, or null when nothing was overwritten. */
    public String overwrittenProducer() {
        return overwritten == null ? null : overwritten.producer();
    }
}
