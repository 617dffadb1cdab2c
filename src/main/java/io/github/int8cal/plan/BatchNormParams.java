package io.github.int8cal.plan;

/**
 * A Caffe BatchNorm layer's statistics per channel, already divided by the moving-average factor
 * (Caffe's third blob), plus its epsilon. Use {@link #fromCaffeBlobs} for raw blobs.
 */
public record BatchNormParams(float[] mean, float[] variance, float eps) {

    /** Caffe's default BatchNorm epsilon. */
    public static final float CAFFE_DEFAULT_EPS = 1e-5f;

    /**
     * From the raw blobs: {@code mean / factor} and {@code variance / factor} in float32; a factor
     * of 0 means the statistics are unused by Caffe and are taken as they are.
     */
    public static BatchNormParams fromCaffeBlobs(float[] meanBlob, float[] varianceBlob, float movingAverageFactor,
            float eps) {
        float[] mean = meanBlob.clone();
        float[] variance = varianceBlob.clone();
        if (movingAverageFactor != 0f) {
            for (int k = 0; k < mean.length; k++) {
                mean[k] = mean[k] / movingAverageFactor;
                variance[k] = variance[k] / movingAverageFactor;
            }
        }
        return new BatchNormParams(mean, variance, eps);
    }

    /** {@code 1 / sqrt(var + eps)} in float32 (the compiler's BN pre-processing). */
    public float[] inverseSigma() {
        float[] out = new float[variance.length];
        for (int k = 0; k < out.length; k++) {
            out[k] = 1f / (float) Math.sqrt(variance[k] + eps);
        }
        return out;
    }
}
