package io.github.int8cal.verify;

/** Per-layer overrides of the gate rules; null keeps the global setting (use a permissive value to switch one off). */
public record LayerRules(Double maxSaturation, Double minSqnrDb, Double minCosine) {
}
