package io.github.int8cal.nvdla;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * nv_small vs nv_full register layouts (docs/nvdla-arithmetic.md#register-units-and-addresses,
 * #differences-between-configurations): same offsets and fields inside every unit, only the unit bases differ, and
 * address/stride/byte-count fields drop their low 5 (7 for weight byte counts) bits on nv_full while keeping their top
 * bit.
 */
class RegisterMapFamiliesTest {

    /** docs/nvdla-arithmetic.md#register-units-and-addresses: nv_small base, nv_full base. */
    static final Map<Unit, int[]> BASES = Map.of(Unit.CDMA, new int[] {0x3000, 0x5000},
            Unit.CSC, new int[] {0x4000, 0x6000}, Unit.CMAC_A, new int[] {0x5000, 0x7000},
            Unit.CMAC_B, new int[] {0x6000, 0x8000}, Unit.CACC, new int[] {0x7000, 0x9000},
            Unit.SDP_RDMA, new int[] {0x8000, 0xa000}, Unit.SDP, new int[] {0x9000, 0xb000},
            Unit.GLB, new int[] {0x1000, 0x0000});

    @Test
    void fieldsAgreeExceptTheAlignedAddressFieldsAndBasesFollowTheSpecTable() {
        RegisterMap small = RegisterMap.of(AddressMap.SMALL);
        RegisterMap full = RegisterMap.of(AddressMap.FULL);
        int aligned = 0;
        int fields = 0;
        for (RegisterSpec s : small.registers()) {
            RegisterSpec f = full.register(s.unit(), s.name());
            assertEquals(s.offset(), f.offset(), s.traceName());
            assertEquals(BASES.get(s.unit())[0] + s.offset(), s.address(AddressMap.SMALL), s.traceName());
            assertEquals(BASES.get(s.unit())[1] + s.offset(), f.address(AddressMap.FULL), s.traceName());
            assertEquals(s.fields().size(), f.fields().size(), s.traceName());
            for (int i = 0; i < s.fields().size(); i++) {
                RegisterField a = s.fields().get(i);
                RegisterField b = f.fields().get(i);
                assertEquals(a.name(), b.name());
                assertEquals(a.lsb() + a.width(), b.lsb() + b.width(), a.name() + " msb");
                if (a.lsb() != b.lsb()) {
                    boolean bytes = a.name().endsWith("_BYTES");
                    assertTrue(a.name().contains("ADDR") || a.name().contains("STRIDE") || bytes, a.name());
                    assertEquals(0, a.lsb(), a.name());
                    assertEquals(bytes ? 7 : 5, b.lsb(), a.name());
                    aligned++;
                }
                fields++;
            }
        }
        assertTrue(aligned >= 18, "aligned fields: " + aligned); // 18 in the documented register subset alone
        assertTrue(fields > 300, "fields compared: " + fields);
    }
}
