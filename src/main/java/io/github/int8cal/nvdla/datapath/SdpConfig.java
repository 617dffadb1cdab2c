package io.github.int8cal.nvdla.datapath;

/**
 * The SDP pipeline of one layer: X1 (BS), X2 (BN), Y (EW; {@link YUnit#BYPASSED} on hardware without
 * it) and the output converter; {@code perfSatEnabled} = {@code D_PERF_ENABLE.PERF_SAT_EN}, which
 * gates the hardware's 17-bit saturation counter.
 */
public record SdpConfig(XUnit x1, XUnit x2, YUnit y, OutputConverter cvt, boolean perfSatEnabled) {

    public static SdpConfig of(XUnit x1, OutputConverter cvt) {
        return new SdpConfig(x1, XUnit.BYPASSED, YUnit.BYPASSED, cvt, true);
    }
}
