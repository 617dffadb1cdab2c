package io.github.int8cal.nvdla;

import io.github.int8cal.problems.Ids;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The facts of one NVDLA hardware project configuration that change the INT8 datapath: MAC atomic
 * C/K (docs/nvdla-arithmetic.md#weights), memory atom (docs/nvdla-arithmetic.md#feature-data), whether SDP has the Y/EW
 * unit and the LUT, and which register address map it uses. The presets embed the values of
 * nvdla/hw {@code spec/defs/<name>.spec}; {@code HardwareConfigTest} re-reads the .spec files.
 *
 * @param name preset name (= the .spec file name without extension)
 * @param atomicC {@code MAC_ATOMIC_C_SIZE_*}
 * @param atomicK {@code MAC_ATOMIC_K_SIZE_*}
 * @param memoryAtom {@code MEMORY_ATOMIC_SIZE_*}: int8 channels per feature atom (bytes)
 * @param sdpEw {@code SDP_EW_ENABLE} (false: RTL forces EW/Y off whatever its registers say)
 * @param sdpLut {@code SDP_LUT_ENABLE}
 * @param winograd {@code WINOGRAD_ENABLE}
 * @param int8Only {@code FEATURE_DATA_TYPE_INT8} (false: int16/fp16 also exist)
 * @param addressMap register layout
 */
public record HardwareConfig(String name, int atomicC, int atomicK, int memoryAtom, boolean sdpEw,
        boolean sdpLut, boolean winograd, boolean int8Only, AddressMap addressMap) {

    /** The preset a goal uses unless told otherwise. */
    public static final String DEFAULT = "nv_small";

    /** spec/defs/nv_small.spec */
    public static final HardwareConfig NV_SMALL =
            new HardwareConfig("nv_small", 8, 8, 8, false, false, false, true, AddressMap.SMALL);
    /** spec/defs/nv_small_256.spec */
    public static final HardwareConfig NV_SMALL_256 =
            new HardwareConfig("nv_small_256", 32, 8, 8, false, false, false, true, AddressMap.SMALL);
    /** spec/defs/nv_small_256_full.spec (EW and LUT enabled) */
    public static final HardwareConfig NV_SMALL_256_FULL =
            new HardwareConfig("nv_small_256_full", 32, 8, 8, true, true, false, true, AddressMap.SMALL);
    /** spec/defs/nv_medium_512.spec */
    public static final HardwareConfig NV_MEDIUM_512 =
            new HardwareConfig("nv_medium_512", 32, 16, 16, false, false, false, true, AddressMap.FULL);
    /** spec/defs/nv_medium_1024_full.spec */
    public static final HardwareConfig NV_MEDIUM_1024_FULL =
            new HardwareConfig("nv_medium_1024_full", 32, 32, 32, true, true, false, true, AddressMap.FULL);
    /** spec/defs/nv_large.spec */
    public static final HardwareConfig NV_LARGE =
            new HardwareConfig("nv_large", 64, 32, 32, true, true, false, true, AddressMap.FULL);
    /** spec/defs/nv_full.spec (int8 figures; int16/fp16 use atom 16, C 32, K 16) */
    public static final HardwareConfig NV_FULL =
            new HardwareConfig("nv_full", 64, 32, 32, true, true, true, false, AddressMap.FULL);

    private static final Map<String, HardwareConfig> PRESETS = new LinkedHashMap<>();

    static {
        for (HardwareConfig c : List.of(NV_SMALL, NV_SMALL_256, NV_MEDIUM_512, NV_MEDIUM_1024_FULL,
                NV_SMALL_256_FULL, NV_LARGE, NV_FULL)) {
            PRESETS.put(c.name(), c);
        }
    }

    public HardwareConfig {
        for (int v : new int[] {atomicC, atomicK, memoryAtom}) {
            if (v <= 0 || Integer.bitCount(v) != 1) {
                throw new IllegalArgumentException("atomic sizes must be powers of two: " + name);
            }
        }
    }

    public static List<HardwareConfig> presets() {
        return List.copyOf(PRESETS.values());
    }

    /** The preset name, e.g. {@code nv_small}. */
    public String id() {
        return name;
    }

    /** The preset named {@code text} (any case); the exception message lists every preset. */
    public static HardwareConfig fromId(String text) {
        return Ids.parse(text, "NVDLA hardware", PRESETS.values(), HardwareConfig::id);
    }

    public RegisterMap registerMap() {
        return RegisterMap.of(addressMap);
    }
}
