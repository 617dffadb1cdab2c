package io.github.int8cal.verify;

/**
 * How one INT8 step compares with the float32 reference, over every sample. Doubles are null
 * where not computed (e.g. {@code sqnrDb} when the int8 output matches float32 exactly or the
 * reference is all zeros; {@code caccSaturatedFraction} for steps without a convolution).
 *
 * @param layer                  step name (hardware layer, view, fallback or input)
 * @param tensor                 the tensor compared
 * @param engine                 {@link Int8Step.Engine#id()}
 * @param elements               values compared (all samples)
 * @param runScale               the scale the int8 tensor is read at
 * @param sqnrDb                 {@code 10 log10(sum ref^2 / sum (ref - deq)^2)}
 * @param cosine                 cosine similarity of the dequantized output and the reference
 * @param maxAbsError            largest |ref - deq|
 * @param clippedFraction        fraction of outputs clipped to int8
 * @param caccSaturatedFraction  fraction of CACC values clamped to int32
 * @param hwCaccOutSaturation    predicted {@code CACC.D_OUT_SATURATION}, summed over samples (null without conv)
 * @param hwSdpOutSaturation     predicted {@code SDP.D_PERF_OUT_SATURATION} with PERF_SAT_EN, summed (null without SDP)
 * @param referenceClippedFraction fraction of reference values beyond the run scale's int8 range
 * @param maxCalibrationAmax     amax max calibration would choose (statistics' absolute maximum), or null
 * @param maxCalibrationClippedFraction fraction of reference values beyond that amax, or null
 * @param note                   why the step falls back, or empty
 * @param calibratedScale        the output tensor's calibrated scale when it runs at another one
 *                               (nvdla_compiler's element-wise equalization), else null
 * @param calibratedClippedFraction fraction of reference values beyond the calibrated scale's
 *                               range (what would clip without the overwrite), or null
 */
public record LayerMetrics(String layer, String tensor, String engine, long elements, float runScale, Double sqnrDb,
        Double cosine, Double maxAbsError, Double clippedFraction, Double caccSaturatedFraction,
        Long hwCaccOutSaturation, Long hwSdpOutSaturation, Double referenceClippedFraction, Double maxCalibrationAmax,
        Double maxCalibrationClippedFraction, String note, Float calibratedScale, Double calibratedClippedFraction) {

    /** Metrics of a step whose output runs at its calibrated scale. */
    public LayerMetrics(String layer, String tensor, String engine, long elements, float runScale, Double sqnrDb,
            Double cosine, Double maxAbsError, Double clippedFraction, Double caccSaturatedFraction,
            Long hwCaccOutSaturation, Long hwSdpOutSaturation, Double referenceClippedFraction,
            Double maxCalibrationAmax, Double maxCalibrationClippedFraction, String note) {
        this(layer, tensor, engine, elements, runScale, sqnrDb, cosine, maxAbsError, clippedFraction,
                caccSaturatedFraction, hwCaccOutSaturation, hwSdpOutSaturation, referenceClippedFraction,
                maxCalibrationAmax, maxCalibrationClippedFraction, note, null, null);
    }
}
