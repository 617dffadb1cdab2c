package io.github.int8cal.verify;

/**
 * Running sums for one step's {@link LayerMetrics}, in double precision, over every sample.
 */
final class MetricsAccumulator {

    private final Int8Step step;
    private final Double alternativeAmax;
    private double signal;
    private double noise;
    private double dot;
    private double deqEnergy;
    private double maxAbsError;
    private long elements;
    private long clipped;
    private long caccSaturated = -1;
    private long cvt17Saturated = -1;
    private long referenceClipped;
    private long alternativeClipped;
    private final Float calibratedScale;
    private long calibratedClipped;
    private float runScale;

    /** @param alternativeAmax the amax max calibration would choose, or null when unknown */
    MetricsAccumulator(Int8Step step, Double alternativeAmax) {
        this(step, alternativeAmax, null);
    }

    /**
     * @param calibratedScale the output's calibrated scale when it runs at another one (then the
     *                        clipping at the calibrated scale is counted too), else null
     */
    MetricsAccumulator(Int8Step step, Double alternativeAmax, Float calibratedScale) {
        this.step = step;
        this.alternativeAmax = alternativeAmax;
        this.calibratedScale = calibratedScale;
    }

    void add(FloatTensor reference, StepResult r) {
        QuantTensor q = r.output();
        float[] ref = reference.data();
        byte[] data = q.data();
        if (ref.length != data.length) {
            throw new IllegalStateException(step.name() + ": reference has " + ref.length + " values, int8 output "
                    + data.length);
        }
        float scale = q.scale();
        runScale = scale;
        // values rounding beyond +-127.5 steps would clip at this scale
        double limit = 127.5 * scale;
        double alt = alternativeAmax == null ? Double.NaN : alternativeAmax * 127.5 / 127.0;
        double calibratedLimit = calibratedScale == null ? Double.NaN : 127.5 * (double) calibratedScale;
        for (int i = 0; i < ref.length; i++) {
            double x = ref[i];
            double y = data[i] * (double) scale;
            double e = x - y;
            signal += x * x;
            noise += e * e;
            dot += x * y;
            deqEnergy += y * y;
            double ae = Math.abs(e);
            if (ae > maxAbsError) {
                maxAbsError = ae;
            }
            double ax = Math.abs(x);
            if (ax > limit) {
                referenceClipped++;
            }
            if (ax > alt) {
                alternativeClipped++;
            }
            if (ax > calibratedLimit) {
                calibratedClipped++;
            }
        }
        elements += r.elements();
        clipped += r.clipped();
        if (r.caccSaturated() >= 0) {
            caccSaturated = Math.max(0, caccSaturated) + r.caccSaturated();
        }
        if (r.cvt17Saturated() >= 0) {
            cvt17Saturated = Math.max(0, cvt17Saturated) + r.cvt17Saturated();
        }
    }

    LayerMetrics result() {
        boolean any = elements > 0;
        Double sqnr = any && noise > 0 && signal > 0 ? 10 * Math.log10(signal / noise) : null;
        Double cosine = any && signal > 0 && deqEnergy > 0 ? dot / Math.sqrt(signal * deqEnergy) : null;
        return new LayerMetrics(step.name(), step.output(), step.engine().id(), elements, runScale, sqnr, cosine,
                any ? maxAbsError : null, any ? (double) clipped / elements : null,
                any && caccSaturated >= 0 ? (double) caccSaturated / elements : null,
                caccSaturated >= 0 ? caccSaturated : null, cvt17Saturated >= 0 ? cvt17Saturated : null,
                any ? (double) referenceClipped / elements : null, alternativeAmax,
                any && alternativeAmax != null ? (double) alternativeClipped / elements : null, step.note(),
                calibratedScale, any && calibratedScale != null ? (double) calibratedClipped / elements : null);
    }
}
