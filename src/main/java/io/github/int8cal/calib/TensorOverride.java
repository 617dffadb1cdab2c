package io.github.int8cal.calib;


/**
 * A per-tensor exception to the global calibration settings: a fixed {@code amax} (e.g. 1.0 for a
 * softmax output), or another method / percentile. Unset fields are {@code null}.
 */
public record TensorOverride(String tensor, Double amax, CalibrationMethod method, Double percentile) {
}
