package io.github.int8cal.nvdla;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Layout formulas of docs/nvdla-arithmetic.md#memory-layouts, evaluated by hand. */
class MemoryLayoutTest {

    @Test
    void featureOffsetFollowsAtomLineSurfaceOrder() {
        // dc_6x8x192: atom 8, LINE_STRIDE 0x40, SURF_STRIDE 0x200; (c=9, y=1, x=2) -> 0x200 + 0x40 + 2*8 + 1
        FeatureLayout layout = new FeatureLayout(8, 0x40, 0x200, 1);
        assertEquals(593, layout.offset(9, 1, 2));
        assertEquals(200, layout.lanes(193));
        // two-byte elements: atoms of 16 bytes
        assertEquals(0x200 + 0x40 + (2 * 8 + 1) * 2, new FeatureLayout(8, 0x40, 0x200, 2).offset(9, 1, 2));
    }

    @Test
    void weightGroupsArePackedWithoutPadding() {
        // nv_small (C 8, K 8), K = 10 (groups of 8 and 2), C = 12 (8 + 4), R = S = 1, bpk = 12:
        // k=9 c=9: 1*8*12 + 1*8*1*1*2 + 0 + 1*4 + 1 = 117
        WeightLayout small = new WeightLayout(8, 8);
        assertEquals(117, small.offset(9, 0, 0, 9, 10, 12, 1, 1));
        assertEquals(0, small.offset(0, 0, 0, 0, 10, 12, 1, 1));
        // k=0 c=8 (second channel group of the first kernel group): 1*8*1*1*8 = 64
        assertEquals(64, small.offset(0, 0, 0, 8, 10, 12, 1, 1));
        // every byte of the blob is used exactly once
        byte[] kcrs = new byte[10 * 12 * 3 * 2];
        for (int i = 0; i < kcrs.length; i++) {
            kcrs[i] = (byte) (i + 1);
        }
        byte[] blob = small.pack(kcrs, 10, 12, 3, 2);
        assertEquals(768, blob.length, "720 bytes rounded up to 128");
        java.util.Set<Long> offsets = new java.util.HashSet<>();
        for (int k = 0; k < 10; k++) {
            for (int c = 0; c < 12; c++) {
                for (int r = 0; r < 3; r++) {
                    for (int s = 0; s < 2; s++) {
                        offsets.add(small.offset(k, r, s, c, 10, 12, 3, 2));
                    }
                }
            }
        }
        assertEquals(720, offsets.size());
        assertEquals(719L, offsets.stream().mapToLong(Long::longValue).max().orElseThrow());
    }
}
