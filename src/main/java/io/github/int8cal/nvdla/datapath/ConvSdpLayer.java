package io.github.int8cal.nvdla.datapath;

/**
 * One INT8 direct-convolution layer end to end: CDMA converter, CSC/CMAC/CACC
 * ({@link ConvolutionEngine}) and SDP ({@link SdpStage}). Both the trace emulator
 * ({@link #runPlanar}, with the hardware's channel-padding lanes) and the tensor path
 * ({@link #run}) go through here.
 */
public final class ConvSdpLayer {

    private ConvSdpLayer() {
    }

    /** Planar result: {@code lanes x pixels} SDP output and the CACC count. */
    public record PlanarResult(SdpOutput sdp, CaccOutput cacc, int lanes) {
    }

    /**
     * @param feature int8 input, planar {@code [c][y][x]}, as read from memory (before the CDMA converter)
     * @param weights int8 {@code [k][c][r][s]}
     * @param lanes SDP lanes ({@code >= kernels}); lanes beyond the kernels carry CACC value 0,
     *     as the hardware's channel padding does. SDP operands must cover every lane.
     */
    public static PlanarResult runPlanar(ConvolutionEngine engine, byte[] feature, byte[] weights,
            ConvLayerConfig layer, int lanes) {
        ConvParams p = layer.conv();
        if (lanes < p.kernels()) {
            throw new IllegalArgumentException("lanes (" + lanes + ") < kernels (" + p.kernels() + ")");
        }
        byte[] converted = feature;
        if (layer.cdma().enabled()) {
            converted = feature.clone();
            layer.cdma().convertInPlace(converted);
        }
        CaccOutput cacc = engine.convolve(converted, weights, p, layer.clipTruncate());
        int[] sdpInput = cacc.values();
        if (lanes > p.kernels()) {
            sdpInput = java.util.Arrays.copyOf(sdpInput, lanes * p.outPixels());
        }
        SdpOutput sdp = SdpStage.run(sdpInput, lanes, p.kernels(), p.outPixels(), layer.sdp(), engine);
        return new PlanarResult(sdp, cacc, lanes);
    }

    /**
     * Tensor path: int8 input tensor (NCHW or NHWC), weights {@code [k][c][r][s]}, layer
     * registers; returns the int8 output tensor in the input's layout.
     */
    public static LayerResult run(ConvolutionEngine engine, Int8Tensor input, byte[] weights, ConvLayerConfig layer) {
        ConvParams p = layer.conv();
        if (input.channels() != p.inChannels() || input.height() != p.inHeight() || input.width() != p.inWidth()) {
            throw new IllegalArgumentException("input tensor " + input.channels() + "x" + input.height() + "x"
                    + input.width() + " does not match the layer input " + p.inChannels() + "x" + p.inHeight() + "x"
                    + p.inWidth());
        }
        PlanarResult r = runPlanar(engine, input.planar(), weights, layer, p.kernels());
        Int8Tensor out = Int8Tensor.fromPlanar(r.sdp().values(), p.kernels(), p.outHeight(), p.outWidth(),
                input.layout());
        return new LayerResult(out, r.cacc().saturated(), r.sdp().cvt17Saturated(), r.sdp().int8Clipped());
    }
}
