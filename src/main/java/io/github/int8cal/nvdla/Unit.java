package io.github.int8cal.nvdla;

import java.util.Locale;
import java.util.Optional;

/**
 * The NVDLA units whose registers the emulator knows, with their CSB base address in the two
 * address maps. Sources: nvdla/hw {@code vmod/nvdla/csb_master/NV_NVDLA_csb_master.v}
 * ({@code BASEADDR_FOR_FULL} selects the full map), docs/nvdla-arithmetic.md#register-units-and-addresses.
 */
public enum Unit {
    GLB(0x1000, 0x0000),
    CDMA(0x3000, 0x5000),
    CSC(0x4000, 0x6000),
    CMAC_A(0x5000, 0x7000),
    CMAC_B(0x6000, 0x8000),
    CACC(0x7000, 0x9000),
    SDP_RDMA(0x8000, 0xa000),
    SDP(0x9000, 0xb000);

    private final int smallBase;
    private final int fullBase;

    Unit(int smallBase, int fullBase) {
        this.smallBase = smallBase;
        this.fullBase = fullBase;
    }

    /** Base address of this unit on the CSB bus for the given address map. */
    public int base(AddressMap map) {
        return map == AddressMap.SMALL ? smallBase : fullBase;
    }

    /** The unit named as in the trace syntax ({@code SDP_RDMA} in {@code NVDLA_SDP_RDMA.D_...}). */
    public static Optional<Unit> fromTraceName(String name) {
        try {
            return Optional.of(valueOf(name.toUpperCase(Locale.ROOT)));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
    }
}
