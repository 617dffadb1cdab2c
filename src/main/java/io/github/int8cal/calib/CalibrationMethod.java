package io.github.int8cal.calib;

import java.util.Locale;

/** How a tensor's amax is chosen from its statistics. */
public enum CalibrationMethod {
    MAX("max"),
    PERCENTILE("percentile"),
    /** TensorRT's EntropyCalibration2 rule (calibration-algorithms.md §1.1). */
    ENTROPY("entropy"),
    MSE("mse");

    private final String id;

    CalibrationMethod(String id) {
        this.id = id;
    }

    public String id() {
        return id;
    }

    public boolean needsHistogram() {
        return this != MAX;
    }

    public static CalibrationMethod fromId(String text) {
        String wanted = text.trim().toLowerCase(Locale.ROOT);
        for (CalibrationMethod m : values()) {
            if (m.id.equals(wanted)) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown calibration method '" + text
                + "'; expected one of max, percentile, entropy, mse");
    }
}
