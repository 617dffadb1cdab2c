package io.github.int8cal.plan;

/**
 * Conv-core converters: CDMA input converter ({@code D_CVT_CFG/OFFSET/SCALE}), CACC clip truncate
 * ({@code D_CLIP_CFG}) and CSC PRA truncate. nvdla_compiler always programs the identity
 * ({@link #COMPILER}); the precise mode may use the CACC clip for huge biases.
 */
public record ConvCoreProgram(boolean cdmaCvtEnabled, int cdmaCvtScale, int cdmaCvtOffset, int cdmaCvtTruncate,
        int caccClipTruncate, int praTruncate) {

    /**
     * {@code in_cvt} {1, 0, enabled, 0}, CACC truncate 0, PRA truncate 0
     * (docs/nvdla-compiler.md#what-was-checked-against-the-real-compiler).
     */
    public static final ConvCoreProgram COMPILER = new ConvCoreProgram(true, 1, 0, 0, 0, 0);

    public static ConvCoreProgram withCaccClip(int clip) {
        return new ConvCoreProgram(true, 1, 0, 0, clip, 0);
    }
}
