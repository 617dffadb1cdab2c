package io.github.int8cal.nvdla.program;

import io.github.int8cal.emit.RegisterTraceWriter;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.github.int8cal.nvdla.HardwareConfig;
import io.github.int8cal.nvdla.trace.TraceResult;
import io.github.int8cal.nvdla.trace.TraceRunner;
import io.github.int8cal.plan.ConvCoreProgram;
import io.github.int8cal.plan.CvtProgram;
import io.github.int8cal.plan.HardwareOp;
import io.github.int8cal.plan.OperandSource;
import io.github.int8cal.plan.SdpProgram;
import io.github.int8cal.plan.XOpType;
import io.github.int8cal.plan.XUnitProgram;
import io.github.int8cal.plan.NetworkPlan;
import io.github.int8cal.plan.PlanOptions;
import io.github.int8cal.model.ModelFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An emitted fragment loaded next to a hardware trace runs on the emulator: the fixture
 * dc_1x1x8_1x1x8x1_int8_0 (input, weights, sizes) up to its op enables, then our {@code .cfg}
 * (CDMA identity converter, CACC clip 0, X1 ADD of a per-channel int16 bias from our {@code .dat},
 * output converter 1 >> 4), then the op enables and a CRC check.
 *
 * <p>Expected by hand: acc = 111*0 + 16*(-114) = -1824 (docs/nvdla-arithmetic.md#a-trace-computed-by-hand, rechecked in
 * Python from the .dat bytes); + (101 << 2) = -1420; * 1 >> 4 = -88.75 -> -89 (half away) = 0xa7;
 * the 7 padding lanes get CACC 0 + operand 0 -> 0. zlib.crc32(bytes([0xa7] + [0]*7)) = 0xc5aa31fc.
 */
class FragmentRunsOnEmulatorTest {

    static final Path TRACE = Path.of("../shared/fixtures/nvdla-traces/nv_small/dc_1x1x8_1x1x8x1_int8_0");

    @Test
    void biasOperandFromTheDatReachesTheOutput(@TempDir Path dir) throws Exception {
        XUnitProgram x1 = new XUnitProgram(XOpType.ADD, OperandSource.MEMORY_PER_CHANNEL, new int[] {101}, 2,
                new int[0], 0, false);
        SdpProgram program = new SdpProgram(ConvCoreProgram.COMPILER, x1, null, new CvtProgram(1, 4, 0));
        LayerProgram regs = new RegisterEmitter(HardwareConfig.NV_SMALL)
                .emit(RegisterEmitterTest.layer(HardwareOp.CONV_SDP, program));
        NetworkPlan plan = new NetworkPlan("t", PlanOptions.defaults(ModelFormat.CAFFE), List.of(), Map.of(),
                List.of(), List.of(), Optional.empty());
        Path fragment = dir.resolve("l.cfg");
        Files.writeString(fragment, RegisterTraceWriter.cfg(regs, plan));
        Files.writeString(dir.resolve("l.dat"), RegisterTraceWriter.dat(regs));

        Path original = TRACE.resolve("dc_1x1x8_1x1x8x1_int8_0.cfg");
        List<String> combined = new ArrayList<>();
        List<String> enables = new ArrayList<>();
        for (String line : Files.readAllLines(original)) {
            String absolute = line.replaceAll("\"([^\"]+\\.dat)\"",
                    "\"" + TRACE.toAbsolutePath().toString().replace("\\", "/") + "/$1\"");
            if (line.contains("D_OP_ENABLE_0")) {
                enables.add(line);
            } else if (!line.startsWith("check_crc") && !line.startsWith("intr_notify") && enables.isEmpty()) {
                combined.add(absolute);
            }
        }
        combined.addAll(Files.readAllLines(fragment));
        combined.addAll(enables);
        combined.add("intr_notify(SDP_0, sync_id_0);");
        combined.add("check_crc(sync_id_0, 1, 0xa0000000, 0x8, 0xc5aa31fc);");
        Path cfg = dir.resolve("combined.cfg");
        Files.write(cfg, combined);

        List<TraceResult> results = new TraceRunner(HardwareConfig.NV_SMALL, 1).run(cfg);
        assertEquals(1, results.size());
        TraceResult r = results.get(0);
        assertEquals(TraceResult.Status.MATCH, r.status(), () -> r.reason() + " " + r.checks()
                + " bytes " + java.util.HexFormat.of().formatHex(r.regions().isEmpty() ? new byte[0]
                        : r.regions().get(0).bytes()));
    }
}
