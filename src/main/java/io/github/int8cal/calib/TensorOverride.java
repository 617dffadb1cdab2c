package io.github.int8cal.calib;

/**
 * A per-tensor exception to the calibration settings: a fixed {@code amax} (e.g. 1.0 for a softmax
 * output), or another method / percentile. Unset fields are {@code null}; {@link CalibrationSettings}
 * checks the combination.
 *
 * @param tensor a model tensor, calibtable key or TensorRT cache name (or, without a model, a
 *               statistics key)
 */
public record TensorOverride(String tensor, Double amax, CalibrationMethod method, Double percentile) {
}
