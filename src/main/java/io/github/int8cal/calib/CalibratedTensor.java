package io.github.int8cal.calib;

/**
 * One row of the calibration table: the chosen range of a tensor and its float32 scale.
 *
 * @param name                     tensor name as in the statistics
 * @param min                      observed minimum (imported scales: {@code -amax})
 * @param max                      observed maximum (imported scales: {@code amax})
 * @param amax                     the symmetric range chosen (for imported scales {@code scale·127})
 * @param scale                    the float32 scale {@code amax/127} written to the tables
 * @param method                   how amax was chosen: {@code max}, {@code percentile},
 *                                 {@code entropy}, {@code mse}, {@code max-fallback} (histogram
 *                                 method without a histogram), {@code override} (fixed amax) or
 *                                 {@code imported} (scale taken over bit-exactly)
 * @param histogramClippedFraction fraction of the histogram mass above amax; {@code null} without a
 *                                 histogram
 */
public record CalibratedTensor(String name, double min, double max, double amax, float scale, String method,
        Double histogramClippedFraction) {
}
