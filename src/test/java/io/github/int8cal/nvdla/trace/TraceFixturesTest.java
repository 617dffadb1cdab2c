package io.github.int8cal.nvdla.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.int8cal.nvdla.HardwareConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every hardware trace fixture reproduces its golden CRC (golden data from the NVDLA trace tests;
 * the nvdla-traces-rtl ones confirmed on the nv_small RTL).
 */
class TraceFixturesTest {

    static final Path FIXTURES = Path.of("../shared/fixtures");

    /**
     * 17-bit output-converter clamps over all lanes (the SDP counter before PERF_SAT_EN gating), as
     * printed by {@code python3 ../shared/docs/nvdla_ref.py <cfg>} ("cvt17_sat"); its CACC count
     * ("cacc_sat") is 0 for every flying-mode fixture.
     */
    static final Map<String, Long> PYTHON_CVT17 = Map.ofEntries(
            Map.entry("dc_13x15x64_5x3x64x16_int8_0", 1744L), Map.entry("dc_14x7x49_3x4x49x32_int8_0", 637L),
            Map.entry("dc_1x1x8_1x1x8x1_int8_0", 0L), Map.entry("dc_8x8x36_4x4x36x16_dilation_int8_0", 0L),
            Map.entry("sdp_1x1x8_pass_through_int8_0", 8L), Map.entry("sdp_3x3x33_bn_int8_reg_2", 0L),
            Map.entry("sdp_3x3x33_bs_bn_int8_0", 106L), Map.entry("sdp_3x3x33_bs_int8_reg_0", 0L),
            Map.entry("sdp_5x24x18_bs_int8_mem_0", 0L), Map.entry("sdp_8x8x32_bypass_int8_0", 0L),
            Map.entry("dc_13x15x64_5x3x64x16_int8_0_rdma0", 0L), Map.entry("dc_13x15x64_5x3x64x16_int8_0_v0", 0L),
            Map.entry("dc_8x8x32_1x1x32x32_int8_0", 0L));

    static Stream<Arguments> traces() throws IOException {
        List<Arguments> args = new ArrayList<>();
        addAll(args, FIXTURES.resolve("nvdla-traces/nv_small"), HardwareConfig.NV_SMALL);
        addAll(args, FIXTURES.resolve("nvdla-traces-rtl/nv_small"), HardwareConfig.NV_SMALL);
        addAll(args, FIXTURES.resolve("nvdla-traces/nv_large"), HardwareConfig.NV_LARGE);
        return args.stream();
    }

    private static void addAll(List<Arguments> args, Path folder, HardwareConfig hw) throws IOException {
        try (Stream<Path> dirs = Files.list(folder)) {
            dirs.filter(Files::isDirectory).sorted()
                    .forEach(d -> args.add(Arguments.of(folder.getParent().getFileName() + "/" + hw.name() + "/"
                            + d.getFileName(), d, hw)));
        }
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("traces")
    void reproducesGoldenCrc(String label, Path dir, HardwareConfig hw) throws Exception {
        List<TraceResult> results = new TraceRunner(hw, 2).run(dir);
        assertEquals(1, results.size());
        TraceResult r = results.get(0);
        assertEquals(TraceResult.Status.MATCH, r.status(), () -> r.reason() + " " + r.checks());
        assertFalse(r.checks().isEmpty());
        for (CrcCheck c : r.checks()) {
            assertTrue(c.match(), () -> String.format("0x%x+0x%x expected 0x%08x actual 0x%08x", c.base(), c.size(),
                    c.golden(), c.actual()));
        }
        assertEquals(PYTHON_CVT17.get(r.name()), r.counters().cvt17Saturated(), "17-bit clamps vs nvdla_ref.py");
        if (r.name().startsWith("dc_")) {
            assertEquals(0L, r.counters().caccOutSaturation(), "CACC clamps vs nvdla_ref.py");
        }
    }
}
