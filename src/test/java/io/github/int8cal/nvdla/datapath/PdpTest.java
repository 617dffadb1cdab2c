package io.github.int8cal.nvdla.datapath;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class PdpTest {

    /** A square window of side {@code k} with the same stride and padding on every side. */
    static PoolingWindow window(boolean max, int k, int stride, int pad) {
        return new PoolingWindow(max, k, k, stride, stride, pad, pad, pad, pad, false);
    }

    /**
     * 2x2 average of {1, 1, 1, 2} (sum 5): the PDP scales twice by 0x8000/2^16,
     * rhaz(5/2) = 3, rhaz(3/2) = 2, where one rounding of 5/4 gives 1
     * (docs/nvdla-arithmetic.md#pdp-pooling); {-1, -1, -1, -2} gives rhaz(-2.5) = -3,
     * rhaz(-1.5) = -2. Max pooling is exact.
     */
    @Test
    void averagePoolingRoundsTwiceWithTheFirmwareReciprocals() {
        byte[] in = {1, 1, 1, 2, -1, -1, -1, -2};
        assertArrayEquals(new byte[] {2, -2}, Pdp.pool(in, 2, 2, 2, window(false, 2, 2, 0), 1, 1));
        assertArrayEquals(new byte[] {2, -1}, Pdp.pool(in, 2, 2, 2, window(true, 2, 2, 0), 1, 1));
        assertEquals(0x5555, Pdp.reciprocal(3));
        assertEquals(0x2492, Pdp.reciprocal(7));
        assertEquals(0x2000, Pdp.reciprocal(8));
    }

    /**
     * 3x3 average with padding 1 on a 2x2 plane of 9s: every window holds the 4 real values (sum 36)
     * and the PDP divides by the full kernel: rhaz(36*0x5555/2^16) = rhaz(11.9998) = 12,
     * rhaz(12*0x5555/2^16) = rhaz(3.99994) = 4 (the exact average over real values would be 9).
     */
    @Test
    void averagePoolingDividesByTheFullKernelAtPaddedBorders() {
        byte[] in = {9, 9, 9, 9};
        byte[] out = Pdp.pool(in, 1, 2, 2, window(false, 3, 1, 1), 2, 2);
        assertArrayEquals(new byte[] {4, 4, 4, 4}, out);
    }
}
