package io.github.int8cal.calib;

import io.github.int8cal.problems.Choice;
import io.github.int8cal.problems.Ids;

/** How a tensor's amax is chosen from its statistics (docs/calibration.md). */
public enum CalibrationMethod implements Choice {
    /** The largest |x| seen. */
    MAX,
    /** A percentile of |x| from the histogram. */
    PERCENTILE,
    /** TensorRT's EntropyCalibration2 rule (docs/calibration.md#tensorrt-entropy). */
    ENTROPY,
    /** The amax that minimizes the quantization's mean squared error over the histogram. */
    MSE;

    public static CalibrationMethod fromId(String text) {
        return Ids.parse(CalibrationMethod.class, text, "calibration method");
    }

    public boolean needsHistogram() {
        return this != MAX;
    }
}
