package io.github.int8cal.nvdla.datapath;

import io.github.int8cal.fixedpoint.Rounding;

/**
 * CDMA input converter for int8 direct convolution (docs/nvdla-arithmetic.md#cdma-input-converter): when enabled,
 * {@code out = sat8(sat17(rnd((d - offset) * scale, truncate)))}, with a 17-bit input, signed
 * 16-bit offset and scale and an unsigned 6-bit truncate; a shift of 34 or more gives 0 (RTL).
 * Applied to data read from memory only, never to the pad value.
 */
public record CdmaInputConverter(boolean enabled, int offset, int scale, int truncate) {

    /** The converter switched off (the usual case). */
    public static final CdmaInputConverter DISABLED = new CdmaInputConverter(false, 0, 1, 0);

    public CdmaInputConverter {
        if (offset < Short.MIN_VALUE || offset > Short.MAX_VALUE || scale < Short.MIN_VALUE
                || scale > Short.MAX_VALUE) {
            throw new IllegalArgumentException("CDMA CVT offset and scale are signed 16-bit");
        }
        if (truncate < 0 || truncate > 63) {
            throw new IllegalArgumentException("CDMA CVT truncate is unsigned 6-bit, got " + truncate);
        }
    }

    public int convert(int value) {
        if (!enabled) {
            return value;
        }
        long product = ((long) value - offset) * scale;                       // 18 x 16 -> 34 bits, exact
        long t17 = Rounding.shiftRightRoundSaturate(product, truncate, 34, 17);
        return (int) Rounding.saturate(t17, 8);
    }

    /** Converts every byte of {@code data}, in place when enabled (via a 256-entry table). */
    public void convertInPlace(byte[] data) {
        if (!enabled) {
            return;
        }
        byte[] table = new byte[256];
        for (int v = -128; v < 128; v++) {
            table[v & 0xff] = (byte) convert(v);
        }
        for (int i = 0; i < data.length; i++) {
            data[i] = table[data[i] & 0xff];
        }
    }
}
