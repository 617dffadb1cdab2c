package io.github.int8cal.plan;

/**
 * One conv or fully-connected layer with its folded chain, in plain arrays.
 *
 * @param name          Caffe layer name (the conv/FC), used in diagnostics
 * @param weights       float32 weights per output channel, each the filter's C·R·S values in
 *                      C-major order (FC: C = inputs, R = S = 1)
 * @param inputChannels C of the weights (used for the image-input channel padding)
 * @param bias          conv bias per output channel, or null
 * @param batchNorm     following BatchNorm, or null
 * @param scale         following Scale (gamma, beta), or null
 * @param relu          a ReLU ends the chain (merged into the SDP op)
 * @param inputScale    Si: table scale of the conv's input tensor
 * @param outputScale   So: table scale of the LAST layer of the chain (e.g. the ReLU)
 * @param imageInput    the conv reads the network input as an image surface
 *                      (nvdla_compiler's default {@code --informat}); affects compiler mode only
 */
public record ConvLayerInput(String name, float[][] weights, int inputChannels, float[] bias,
        BatchNormParams batchNorm, ScaleParams scale, boolean relu, float inputScale, float outputScale,
        boolean imageInput) {

    public int outputChannels() {
        return weights.length;
    }

    public boolean hasChain() {
        return batchNorm != null || scale != null;
    }
}
