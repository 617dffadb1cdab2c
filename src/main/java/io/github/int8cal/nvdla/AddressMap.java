package io.github.int8cal.nvdla;

/**
 * The two CSB register layouts of NVDLA. They place units at different bases and differ in the
 * alignment of address/stride/byte-count fields; offsets inside a unit and all other fields are
 * identical (docs/nvdla-arithmetic.md#differences-between-configurations, #register-units-and-addresses).
 */
public enum AddressMap {
    /** nv_small family: CDMA at 0x3000 ... SDP at 0x9000; address and stride fields are [31:0]. */
    SMALL,
    /**
     * nv_full family (nvdlav1, nv_large): CDMA at 0x5000 ... SDP at 0xb000; address/stride fields
     * are [31:5] (32-byte aligned), weight byte counts [31:7].
     */
    FULL
}
