package io.github.int8cal.verify;

/**
 * A network output: for classifier outputs (one score vector per batch item, spatial size 1) the
 * fraction of items whose int8 arg-max equals the float32 arg-max (first index on ties); null for
 * other outputs and in synthetic mode.
 */
public record OutputMetrics(String tensor, boolean classifier, long items, Double top1Agreement) {
}
