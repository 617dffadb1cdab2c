package io.github.int8cal.plan;

/**
 * The fp32 folding of a conv/FC followed by BatchNorm / Scale (/ ReLU) that nvdla_compiler's
 * fast-math profile performs before quantization (docs/nvdla-compiler.md#what-was-checked-against-the-real-compiler,
 * #layer-folding), as pure functions over per-channel float arrays. Float32 operation order follows the compiler.
 */
public final class ChainFolding {

    private ChainFolding() {
    }

    /** Conv weights and bias after folding; {@code bias} is never null. */
    public record FoldedConv(float[][] weights, float[] bias) {
    }

    /**
     * The SDP BatchNorm op that survives unfolded (conv on an image input, or precise per-kernel):
     * the hardware computes {@code (acc_real + addend[k]) * factor[k]}, with
     * {@code factor = sigmaInv * gamma} and {@code addend = (b - mean) + beta / factor}
     * (pre-sigma units).
     */
    public record BatchNormOp(float[] factor, float[] addend) {
    }

    /**
     * Folds BN (optional) and Scale (optional) into the conv: {@code W' = (W * sigmaInv) * gamma},
     * {@code b' = ((b - mean) * sigmaInv) * gamma + beta} (verified against the real compiler for
     * conv+BN+Scale feeding on a feature map; the BN-only and Scale-only forms are the same
     * formula with the missing factors set to 1 and addends to 0).
     *
     * @param bias conv bias per output channel, or null for a conv without bias
     */
    public static FoldedConv foldIntoConv(float[][] weights, float[] bias, BatchNormParams batchNorm,
            ScaleParams scale) {
        int k = weights.length;
        float[] sigmaInv = batchNorm == null ? null : batchNorm.inverseSigma();
        float[][] folded = new float[k][];
        float[] foldedBias = new float[k];
        for (int c = 0; c < k; c++) {
            float[] filter = weights[c];
            float[] out = new float[filter.length];
            for (int j = 0; j < filter.length; j++) {
                float w = filter[j];
                if (sigmaInv != null) {
                    w = w * sigmaInv[c];
                }
                if (scale != null) {
                    w = w * scale.gamma()[c];
                }
                out[j] = w;
            }
            folded[c] = out;
            float b = bias == null ? 0f : bias[c];
            if (batchNorm != null) {
                b = (b - batchNorm.mean()[c]) * sigmaInv[c];
            }
            if (scale != null) {
                b = b * scale.gamma()[c];
                if (scale.beta() != null) {
                    b = b + scale.beta()[c];
                }
            }
            foldedBias[c] = b;
        }
        return new FoldedConv(folded, foldedBias);
    }

    /**
     * The unfolded BN op (docs/nvdla-compiler.md#what-was-checked-against-the-real-compiler): {@code factor = sigmaInv
     * * gamma}, {@code addend = (b - mean) + beta / factor}. A zero factor with a non-zero beta gives an
     * infinite addend, as in the compiler; callers report it.
     */
    public static BatchNormOp toBatchNormOp(int channels, float[] bias, BatchNormParams batchNorm, ScaleParams scale) {
        float[] sigmaInv = batchNorm == null ? null : batchNorm.inverseSigma();
        float[] factor = new float[channels];
        float[] addend = new float[channels];
        for (int c = 0; c < channels; c++) {
            float v = sigmaInv == null ? 1f : sigmaInv[c];
            if (scale != null) {
                v = v * scale.gamma()[c];
            }
            factor[c] = v;
            float a = (bias == null ? 0f : bias[c]) - (batchNorm == null ? 0f : batchNorm.mean()[c]);
            if (scale != null && scale.beta() != null) {
                a = a + scale.beta()[c] / v;
            }
            addend[c] = a;
        }
        return new BatchNormOp(factor, addend);
    }
}
