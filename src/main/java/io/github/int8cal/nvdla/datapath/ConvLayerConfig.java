package io.github.int8cal.nvdla.datapath;

/**
 * Everything the hardware is programmed with for one INT8 convolution layer, as plain values
 * rather than register bits: CSC geometry and pad value, the CDMA input converter, the CACC
 * {@code CLIP_TRUNCATE} and the SDP pipeline. The trace emulator decodes registers into this; the
 * tensor path builds it directly.
 */
public record ConvLayerConfig(ConvParams conv, CdmaInputConverter cdma, int clipTruncate, SdpConfig sdp) {

    public ConvLayerConfig {
        if (clipTruncate < 0 || clipTruncate > 31) {
            throw new IllegalArgumentException("CLIP_TRUNCATE is a 5-bit field, got " + clipTruncate);
        }
    }
}
