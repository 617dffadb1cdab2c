package io.github.int8cal.plan;

import java.util.List;

/**
 * Result of forcing both element-wise inputs to one scale: {@code overwrittenInput} is 0 or 1
 * (-1 when the scales already agree), its producer is then requantized to {@code commonScale}
 * instead of its calibrated scale. Diagnostics carry the clipping this causes.
 */
public record EltwiseEqualization(String layer, int overwrittenInput, String overwrittenProducer, float commonScale,
        List<Diagnostic> diagnostics) {

    public EltwiseEqualization {
        diagnostics = List.copyOf(diagnostics);
    }

    public boolean rejected() {
        return diagnostics.stream().anyMatch(d -> d.severity() == Severity.ERROR);
    }
}
