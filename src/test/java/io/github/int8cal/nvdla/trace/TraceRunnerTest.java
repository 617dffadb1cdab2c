package io.github.int8cal.nvdla.trace;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.int8cal.nvdla.HardwareConfig;
import io.github.int8cal.problems.ProblemException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TraceRunnerTest {

    private static final Path ONE_BY_ONE =
            Path.of("../shared/fixtures/nvdla-traces/nv_small/dc_1x1x8_1x1x8x1_int8_0");
    private static final String CFG = "dc_1x1x8_1x1x8x1_int8_0.cfg";

    @TempDir
    Path tmp;

    /** Copies the 1x1x8 fixture into a temp dir, editing its .cfg. */
    private Path variant(String name, UnaryOperator<String> edit) throws IOException {
        Path dir = Files.createDirectories(tmp.resolve(name));
        try (var files = Files.list(ONE_BY_ONE)) {
            for (Path f : files.toList()) {
                String text = Files.readString(f, StandardCharsets.UTF_8);
                Files.writeString(dir.resolve(f.getFileName()), f.getFileName().toString().equals(CFG) ? edit.apply(text)
                        : text, StandardCharsets.UTF_8);
            }
        }
        return dir;
    }

    private static TraceResult runOne(Path dir) throws Exception {
        List<TraceResult> results = new TraceRunner(HardwareConfig.NV_SMALL, 1).run(dir);
        assertEquals(1, results.size());
        return results.get(0);
    }

    @Test
    void reportsAWrongGoldenCrcAsMismatch() throws Exception {
        TraceResult r = runOne(variant("corrupt", t -> t.replace("0x8f68a2ae", "0x12345678")));
        assertEquals(TraceResult.Status.MISMATCH, r.status());
        assertEquals(0x12345678L, r.checks().get(0).golden());
        assertEquals(0x8f68a2aeL, r.checks().get(0).actual());
        assertEquals(8, r.regions().get(0).bytes().length);
    }

    @Test
    void reportsUnmodelledFeaturesAsUnsupported() throws Exception {
        TraceResult int16 = runOne(variant("int16", t -> t.replace("reg_write(NVDLA_SDP.D_DATA_FORMAT_0, 0x0);",
                "reg_write(NVDLA_SDP.D_DATA_FORMAT_0, 0x5);")));
        assertEquals(TraceResult.Status.UNSUPPORTED, int16.status());
        assertTrue(int16.reason().contains("int16/fp16"), int16.reason());
        TraceResult pdp = runOne(variant("pdp", t -> t + "reg_write(NVDLA_PDP.D_OP_ENABLE_0, 0x1);\n"));
        assertEquals(TraceResult.Status.UNSUPPORTED, pdp.status());
        assertTrue(pdp.reason().startsWith("PDP is not modelled"), pdp.reason());
        TraceResult image = runOne(variant("image", t -> t.replace("reg_write(NVDLA_CDMA.D_DATAIN_FORMAT_0, 0x400);",
                "reg_write(NVDLA_CDMA.D_DATAIN_FORMAT_0, 0x401);")));
        assertTrue(image.reason().contains("image (pixel) input"), image.reason());
        TraceResult winograd = runOne(variant("winograd", t -> t.replace(
                "reg_write(NVDLA_CSC.D_MISC_CFG_0, 0x10000000);", "reg_write(NVDLA_CSC.D_MISC_CFG_0, 0x10000001);")));
        assertTrue(winograd.reason().contains("Winograd"), winograd.reason());
    }

    @Test
    void collectsEveryInputProblemWithItsLocation() throws Exception {
        Path bad = variant("bad", t -> t.replace("reg_write(NVDLA_CACC.D_CLIP_CFG_0, 0x6);",
                "reg_write(NVDLA_CACC.D_CLIP_CFG_0 0x6);").replace("_wt.dat\"", "_missing.dat\""));
        ProblemException e = assertThrows(ProblemException.class, () -> runOne(bad));
        assertEquals(2, e.problems().size(), e.getMessage());
        assertTrue(e.getMessage().contains(CFG + ":6: mem_load file "), e.getMessage());
        assertTrue(e.getMessage().contains("dc_1x1x8_1x1x8x1_int8_0_missing.dat does not exist"), e.getMessage());
        assertTrue(e.getMessage().contains(CFG + ":150:1: expected reg_write(NVDLA_<UNIT>.<REGISTER>_0, <value>)"),
                e.getMessage());
        ProblemException none = assertThrows(ProblemException.class,
                () -> TraceRunner.findTraces(tmp.resolve("nothing-here")));
        assertTrue(none.getMessage().contains("no such file or directory"), none.getMessage());
    }
}
