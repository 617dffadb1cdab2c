package io.github.int8cal.calib;

/**
 * How one tensor is to be calibrated: a method with its percentile, or a fixed amax.
 *
 * @param method     the method (ignored when {@code fixedAmax} is set)
 * @param percentile the percentile for {@link CalibrationMethod#PERCENTILE}, in (0, 100]
 * @param fixedAmax  a fixed amax (e.g. 1.0 for a softmax output), or {@code null}
 */
public record CalibrationChoice(CalibrationMethod method, double percentile, Double fixedAmax) {

    public static CalibrationChoice of(CalibrationMethod method, double percentile) {
        return new CalibrationChoice(method, percentile, null);
    }

    public static CalibrationChoice fixed(double amax) {
        return new CalibrationChoice(CalibrationMethod.MAX, PercentileCalibrator.DEFAULT_PERCENTILE, amax);
    }
}
