package io.github.int8cal.emit;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.int8cal.fixedpoint.WeightScope;
import io.github.int8cal.model.Graph;
import io.github.int8cal.model.NvdlaTableKeys;
import io.github.int8cal.model.TableKey;
import io.github.int8cal.model.caffe.CaffeReader;
import io.github.int8cal.nvdla.HardwareConfig;
import io.github.int8cal.nvdla.RegisterField;
import io.github.int8cal.nvdla.RegisterMap;
import io.github.int8cal.nvdla.RegisterSpec;
import io.github.int8cal.nvdla.program.LayerProgram;
import io.github.int8cal.nvdla.program.RegisterEmitter;
import io.github.int8cal.nvdla.trace.DatFile;
import io.github.int8cal.nvdla.trace.TraceCommand;
import io.github.int8cal.nvdla.trace.TraceFile;
import io.github.int8cal.nvdla.trace.TraceParser;
import io.github.int8cal.plan.NetworkPlan;
import io.github.int8cal.plan.NetworkPlanner;
import io.github.int8cal.plan.PlanOptions;
import io.github.int8cal.plan.RequantMode;
import io.github.int8cal.problems.Problems;
import io.github.int8cal.report.RegistersJsonWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LeNet from the real model files (prototxt + caffemodel via CaffeReader, scales from
 * lenet.int8.json) planned in compiler mode and written as registers.json: the values must be the
 * real nvdla_compiler's, decoded from its loadables (docs/nvdla-compiler.md#what-was-checked-against-the-real-compiler,
 * nv_small).
 */
class LeNetRegistersTest {

    static final Path DIR = Path.of("../shared/fixtures/caffe-lenet");
    static Graph graph;
    static Map<String, Float> scales;

    @BeforeAll
    static void load() throws Exception {
        graph = new CaffeReader().read(DIR.resolve("lenet.prototxt"), DIR.resolve("lenet.caffemodel"));
        JsonNode table = new ObjectMapper().readTree(DIR.resolve("lenet.int8.json").toFile());
        scales = new LinkedHashMap<>();
        for (TableKey key : NvdlaTableKeys.of(graph)) {
            scales.put(key.tensor(), (float) table.get(key.key()).get("scale").asDouble()); // GetFloat()
        }
    }

    static NetworkPlan plan(RequantMode mode, WeightScope scope, HardwareConfig hw) {
        return NetworkPlanner.plan(graph, scales, PlanOptions.builder().mode(mode).scope(scope)
                .hardware(hw).build());
    }

    /** registers.json and the fragments of {@code plan}, rendered as the write phase renders them, in {@code dir}. */
    static JsonNode written(NetworkPlan plan, Path dir) throws Exception {
        List<LayerProgram> programs = RegisterEmitter.emit(plan);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve("registers.json"), RegistersJsonWriter.render(plan, programs));
        for (Map.Entry<String, String> f : RegisterTraceWriter.fragments(plan, programs).entrySet()) {
            Files.createDirectories(dir.resolve(RegisterTraceWriter.FRAGMENT_DIR));
            Files.writeString(dir.resolve(RegisterTraceWriter.FRAGMENT_DIR).resolve(f.getKey()), f.getValue());
        }
        return new ObjectMapper().readTree(dir.resolve("registers.json").toFile());
    }

    static JsonNode layer(JsonNode json, String name) {
        for (JsonNode l : json.get("layers")) {
            if (l.get("name").asText().equals(name)) {
                return l;
            }
        }
        throw new AssertionError("no layer " + name);
    }

    static JsonNode register(JsonNode layer, String unit, String name) {
        for (JsonNode r : layer.get("registers")) {
            if (r.get("unit").asText().equals(unit) && r.get("name").asText().equals(name)) {
                return r;
            }
        }
        throw new AssertionError(layer.get("name") + " has no " + unit + "." + name);
    }

    static long field(JsonNode layer, String unit, String name, String field) {
        return register(layer, unit, name).get("fields").get(field).asLong();
    }

    @Test
    void hardwareLayersFollowTheGraphWithRelu1MergedIntoIp1() throws Exception {
        NetworkPlan plan = plan(RequantMode.COMPILER, WeightScope.PER_KERNEL, HardwareConfig.NV_SMALL);
        assertEquals(List.of("conv1", "pool1", "conv2", "pool2", "ip1", "ip2", "prob"),
                plan.layers().stream().map(l -> l.name()).toList());
        assertEquals(List.of("ip1", "relu1"), plan.layer("ip1").orElseThrow().graphLayers());
        assertTrue(plan.skipped().isEmpty());
    }

    @Test
    void perKernelOutputConvertersAndBiasMatchTheRealCompiler(@TempDir Path dir) throws Exception {
        JsonNode json = written(plan(RequantMode.COMPILER, WeightScope.PER_KERNEL, HardwareConfig.NV_SMALL), dir);
        assertEquals("nvdla-int8-registers", json.get("format").asText());
        assertEquals(1, json.get("version").asInt());
        assertEquals("nv_small", json.get("hardware").asText());
        assertEquals("compiler", json.get("mode").asText());
        String[] layers = {"conv1", "conv2", "ip1", "ip2"};
        long[][] cvt = {{16557, 23}, {16846, 26}, {30309, 25}, {20972, 25}};
        for (int i = 0; i < layers.length; i++) {
            JsonNode l = layer(json, layers[i]);
            assertEquals(cvt[i][0], field(l, "SDP", "D_CVT_SCALE", "CVT_SCALE"), layers[i]);
            assertEquals(cvt[i][1], field(l, "SDP", "D_CVT_SHIFT", "CVT_SHIFT"), layers[i]);
            assertEquals(0, field(l, "SDP", "D_CVT_OFFSET", "CVT_OFFSET"), layers[i]);
            assertEquals(String.format("0x%08x", cvt[i][0]), register(l, "SDP", "D_CVT_SCALE").get("value").asText());
            // per-kernel: X1 ADD (bias from memory, shift_value 0), MUL bypassed, truncate 0
            assertEquals(0, field(l, "SDP", "D_DP_BS_CFG", "BS_BYPASS"));
            assertEquals(0, field(l, "SDP", "D_DP_BS_CFG", "BS_ALU_BYPASS"));
            assertEquals(2, field(l, "SDP", "D_DP_BS_CFG", "BS_ALU_ALGO"));
            assertEquals(1, field(l, "SDP", "D_DP_BS_CFG", "BS_MUL_BYPASS"));
            assertEquals(layers[i].equals("ip1") ? 0 : 1, field(l, "SDP", "D_DP_BS_CFG", "BS_RELU_BYPASS"), layers[i]);
            assertEquals(1, field(l, "SDP", "D_DP_BS_ALU_CFG", "BS_ALU_SRC"));
            assertEquals(0, field(l, "SDP", "D_DP_BS_ALU_CFG", "BS_ALU_SHIFT_VALUE"));
            assertEquals(0, field(l, "SDP", "D_DP_BS_MUL_CFG", "BS_MUL_SHIFT_VALUE"));
            assertEquals(1, field(l, "SDP", "D_DP_BN_CFG", "BN_BYPASS"));
            assertConvCoreIsTheCompilersIdentity(l);
            assertEquals(cvt[i][0], l.get("requant").get("multiplier").asLong());
            assertEquals(cvt[i][1], l.get("requant").get("shift").asLong());
        }
        JsonNode conv2 = layer(json, "conv2");
        assertEquals(1585, conv2.get("operands").get(0).get("alu").get(0).asInt()); // 0.026692284 / 1.6837808e-5
        assertEquals(1585, conv2.get("requant").get("bias").get("int16").get(0).asInt());
        assertEquals(0, conv2.get("requant").get("bias").get("shift").asInt());
        assertEquals(2.5103209e-4, conv2.get("requant").get("factor").asDouble(), 1e-11);
        // operand DMA: enabled, ALU data, two bytes, per kernel, external memory
        assertEquals(0, field(conv2, "SDP_RDMA", "D_BRDMA_CFG", "BRDMA_DISABLE"));
        assertEquals(1, field(conv2, "SDP_RDMA", "D_BRDMA_CFG", "BRDMA_DATA_USE"));
        assertEquals(1, field(conv2, "SDP_RDMA", "D_BRDMA_CFG", "BRDMA_DATA_SIZE"));
        assertEquals(0, field(conv2, "SDP_RDMA", "D_BRDMA_CFG", "BRDMA_DATA_MODE"));
        assertEquals(1, field(conv2, "SDP_RDMA", "D_FEATURE_MODE_CFG", "FLYING_MODE"));
        // pools and softmax get no registers
        assertEquals(0, layer(json, "pool1").get("registers").size());
        assertEquals("pdp", layer(json, "pool1").get("op").asText());
        assertEquals("cpu", layer(json, "prob").get("op").asText());
    }

    /** in_cvt {1, 0, enabled, 0}, pad 0, PRA 0, CACC truncate 0, INT8 precisions
     * (docs/nvdla-compiler.md#what-was-checked-against-the-real-compiler).
     */
    static void assertConvCoreIsTheCompilersIdentity(JsonNode l) {
        assertEquals(1, field(l, "CDMA", "D_CVT_CFG", "CVT_EN"));
        assertEquals(0, field(l, "CDMA", "D_CVT_CFG", "CVT_TRUNCATE"));
        assertEquals(1, field(l, "CDMA", "D_CVT_SCALE", "CVT_SCALE"));
        assertEquals(0, field(l, "CDMA", "D_CVT_OFFSET", "CVT_OFFSET"));
        assertEquals(0, field(l, "CDMA", "D_ZERO_PADDING_VALUE", "PAD_VALUE"));
        assertEquals(0, field(l, "CSC", "D_ZERO_PADDING_VALUE", "PAD_VALUE"));
        assertEquals(0, field(l, "CSC", "D_PRA_CFG", "PRA_TRUNCATE"));
        assertEquals(0, field(l, "CACC", "D_CLIP_CFG", "CLIP_TRUNCATE"));
        assertEquals(0, field(l, "CDMA", "D_MISC_CFG", "PROC_PRECISION"));
        assertEquals(0, field(l, "SDP", "D_DATA_FORMAT", "OUT_PRECISION"));
    }

    @Test
    void perFilterX1BothTruncatesAndConv2MultipliersMatchTheRealCompiler(@TempDir Path dir) throws Exception {
        JsonNode json = written(plan(RequantMode.COMPILER, WeightScope.PER_FILTER, HardwareConfig.NV_SMALL), dir);
        String[] layers = {"conv1", "conv2", "ip1", "ip2"};
        long[] truncate = {23, 26, 25, 25};
        for (int i = 0; i < layers.length; i++) {
            JsonNode l = layer(json, layers[i]);
            assertEquals(truncate[i], field(l, "SDP", "D_DP_BS_MUL_CFG", "BS_MUL_SHIFT_VALUE"), layers[i]);
            assertEquals(1, field(l, "SDP", "D_DP_BS_MUL_CFG", "BS_MUL_SRC"));
            assertEquals(0, field(l, "SDP", "D_DP_BS_CFG", "BS_MUL_BYPASS"));
            assertEquals(0, field(l, "SDP", "D_DP_BS_CFG", "BS_ALU_BYPASS"));
            assertEquals(2, field(l, "SDP_RDMA", "D_BRDMA_CFG", "BRDMA_DATA_USE"), "BOTH");
            assertEquals(1, field(l, "SDP", "D_CVT_SCALE", "CVT_SCALE"), "out_cvt identity");
            assertEquals(0, field(l, "SDP", "D_CVT_SHIFT", "CVT_SHIFT"));
            assertConvCoreIsTheCompilersIdentity(l);
        }
        JsonNode conv2 = layer(json, "conv2");
        JsonNode mul = conv2.get("operands").get(0).get("mul");
        assertArrayEquals(new int[] {13581, 11813, 14708, 11613},
                new int[] {mul.get(0).asInt(), mul.get(1).asInt(), mul.get(2).asInt(), mul.get(3).asInt()});
        assertTrue(conv2.get("requant").get("perChannel").asBoolean());
        assertEquals(50, conv2.get("requant").get("multiplier").size());

        // the .dat holds [b16, m] pairs, little-endian int16, as the SDP RDMA reads them
        // (docs/nvdla-arithmetic.md#sdp-operands)
        Problems problems = new Problems();
        List<DatFile.Chunk> chunks = DatFile.read(dir.resolve("registers/conv2.dat"), problems);
        assertTrue(problems.isEmpty(), problems::toString);
        byte[] image = flatten(chunks);
        assertEquals(56 * 4, image.length, "50 channels padded to 7 atoms of 8, 4 bytes each");
        int[] m = new int[4];
        for (int k = 0; k < 4; k++) {
            m[k] = (short) ((image[4 * k + 2] & 0xff) | (image[4 * k + 3] << 8));
        }
        assertArrayEquals(new int[] {13581, 11813, 14708, 11613}, m);
        JsonNode alu = conv2.get("operands").get(0).get("alu");
        assertEquals(alu.get(0).asInt(), (short) ((image[0] & 0xff) | (image[1] << 8)));
    }

    private static byte[] flatten(List<DatFile.Chunk> chunks) {
        int size = 0;
        for (DatFile.Chunk c : chunks) {
            size = Math.max(size, (int) c.offset() + c.bytes().length);
        }
        byte[] out = new byte[size];
        for (DatFile.Chunk c : chunks) {
            System.arraycopy(c.bytes(), 0, out, (int) c.offset(), c.bytes().length);
        }
        return out;
    }

    /** Every emitted register: address and fields agree with the register map of the hardware. */
    @Test
    void everyRegisterDecodesThroughTheRegisterMapOnBothAddressMaps(@TempDir Path dir) throws Exception {
        for (HardwareConfig hw : List.of(HardwareConfig.NV_SMALL, HardwareConfig.NV_FULL)) {
            RegisterMap map = hw.registerMap();
            JsonNode json = written(plan(RequantMode.COMPILER, WeightScope.PER_FILTER, hw), dir.resolve(hw.name()));
            int checked = 0;
            for (JsonNode l : json.get("layers")) {
                for (JsonNode r : l.get("registers")) {
                    int address = Integer.decode(r.get("address").asText());
                    RegisterSpec spec = map.findByAddress(address).orElseThrow();
                    assertEquals(r.get("unit").asText(), spec.unit().name());
                    assertEquals(r.get("name").asText() + "_0", spec.name());
                    long value = Long.decode(r.get("value").asText());
                    for (RegisterField f : spec.fields()) {
                        assertEquals(f.decodeSigned(value), r.get("fields").get(f.name()).asLong(), spec.name());
                    }
                    checked++;
                }
            }
            assertTrue(checked > 80, "registers checked: " + checked);
        }
        // unit bases differ (docs/nvdla-arithmetic.md#register-units-and-addresses): SDP.D_CVT_SCALE at 0x90c4 / 0xb0c4
        JsonNode small = new ObjectMapper().readTree(dir.resolve("nv_small/registers.json").toFile());
        JsonNode full = new ObjectMapper().readTree(dir.resolve("nv_full/registers.json").toFile());
        assertEquals("0x000090c4", register(layer(small, "conv2"), "SDP", "D_CVT_SCALE").get("address").asText());
        assertEquals("0x0000b0c4", register(layer(full, "conv2"), "SDP", "D_CVT_SCALE").get("address").asText());
        assertEquals("0x000050a4", register(layer(full, "conv2"), "CDMA", "D_CVT_CFG").get("address").asText());
        // nv_full has the EW unit: bypassed explicitly; nv_small has none, so nothing is written
        assertEquals(1, field(layer(full, "conv2"), "SDP", "D_DP_EW_CFG", "EW_BYPASS"));
        assertFalse(layer(small, "conv2").get("registers").toString().contains("D_DP_EW_CFG"));
    }

    @Test
    void fragmentsParseWithTheTraceParserAndMatchRegistersJson(@TempDir Path dir) throws Exception {
        JsonNode json = written(plan(RequantMode.COMPILER, WeightScope.PER_FILTER, HardwareConfig.NV_SMALL), dir);
        List<Path> cfgs;
        try (Stream<Path> files = Files.list(dir.resolve("registers"))) {
            cfgs = files.filter(f -> f.toString().endsWith(".cfg")).sorted().toList();
        }
        assertEquals(4, cfgs.size(), cfgs.toString());
        for (Path cfg : cfgs) {
            Problems problems = new Problems();
            TraceFile trace = TraceParser.parse(cfg, problems);
            assertTrue(problems.isEmpty(), problems::toString);
            String name = trace.name();
            JsonNode l = layer(json, name);
            List<TraceCommand.RegWrite> writes = new ArrayList<>();
            List<TraceCommand.MemLoad> loads = new ArrayList<>();
            for (TraceCommand c : trace.commands()) {
                if (c instanceof TraceCommand.RegWrite w) {
                    writes.add(w);
                } else if (c instanceof TraceCommand.MemLoad m) {
                    loads.add(m);
                }
            }
            assertEquals(l.get("registers").size(), writes.size(), name);
            for (int i = 0; i < writes.size(); i++) {
                JsonNode r = l.get("registers").get(i);
                assertEquals("NVDLA_" + r.get("unit").asText() + "." + r.get("name").asText() + "_0",
                        writes.get(i).traceName());
                assertEquals(Long.decode(r.get("value").asText()), writes.get(i).value());
            }
            assertEquals(1, loads.size());
            assertEquals(Long.decode(l.get("operands").get(0).get("address").asText()), loads.get(0).base());
            assertEquals(register(l, "SDP_RDMA", "D_BS_BASE_ADDR_LOW").get("value").asText(),
                    l.get("operands").get(0).get("address").asText());
            assertTrue(Files.exists(loads.get(0).file()), loads.get(0).file().toString());
        }
        assertTrue(Files.readString(cfgs.get(0)).contains("reg_write(NVDLA_SDP.D_CVT_SCALE_0, 0x1);"));
    }

    @Test
    void writingTwiceGivesTheSameBytes(@TempDir Path dir) throws Exception {
        for (WeightScope scope : WeightScope.values()) {
            for (RequantMode mode : RequantMode.values()) {
                Path a = dir.resolve(scope + "-" + mode + "-a");
                Path b = dir.resolve(scope + "-" + mode + "-b");
                written(plan(mode, scope, HardwareConfig.NV_SMALL), a);
                written(plan(mode, scope, HardwareConfig.NV_SMALL), b);
                assertSameTree(a, b);
            }
        }
    }

    static void assertSameTree(Path a, Path b) throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.walk(a)) {
            files = s.filter(Files::isRegularFile).map(a::relativize).sorted().toList();
        }
        List<Path> other;
        try (Stream<Path> s = Files.walk(b)) {
            other = s.filter(Files::isRegularFile).map(b::relativize).sorted().toList();
        }
        assertEquals(files, other);
        assertTrue(files.size() > 2, files.toString());
        for (Path f : files) {
            assertArrayEquals(Files.readAllBytes(a.resolve(f)), Files.readAllBytes(b.resolve(f)), f.toString());
            assertFalse(Files.readString(a.resolve(f)).contains("\r"), f.toString());
        }
    }

    @Test
    void preciseIsNeverWorseThanCompilerPerLayer() {
        for (WeightScope scope : WeightScope.values()) {
            NetworkPlan compiler = plan(RequantMode.COMPILER, scope, HardwareConfig.NV_SMALL);
            NetworkPlan precise = plan(RequantMode.PRECISE, scope, HardwareConfig.NV_SMALL);
            for (int i = 0; i < compiler.layers().size(); i++) {
                double c = compiler.layers().get(i).worstRelativeError();
                double p = precise.layers().get(i).worstRelativeError();
                assertTrue(p <= c, scope + " " + compiler.layers().get(i).name() + ": " + p + " > " + c);
            }
            assertTrue(precise.worstRelativeError() <= compiler.worstRelativeError(), scope.toString());
            System.out.printf("LeNet %s worst |relative error|: compiler %.3e, precise %.3e%n", scope,
                    compiler.worstRelativeError(), precise.worstRelativeError());
        }
    }

    @Test
    void imageInputGetsTheNvdlaRuntimeRecipe() {
        // data scale 0.00784518 (inputs in [-1, 1]); nvdla_runtime feeds p*127/255 = 2.008 raw units per step
        NetworkPlan plan = plan(RequantMode.COMPILER, WeightScope.PER_KERNEL, HardwareConfig.NV_SMALL);
        assertEquals(1, plan.inputRecipes().size());
        assertTrue(plan.inputRecipes().get(0).mismatch().isPresent());
        assertTrue(plan.networkDiagnostics().stream().anyMatch(d -> d.layer().equals("data")
                && d.code() == io.github.int8cal.plan.DiagnosticCode.INPUT_SCALING_MISMATCH));
        // with the model's own normalization 1/255 the runtime's 255/127/255 = 1/127 step agrees within 1 %
        NetworkPlan normalized = NetworkPlanner.plan(graph, scales,
                PlanOptions.builder().inputRecipe(0f, 1f / 255f).build());
        assertTrue(normalized.inputRecipes().get(0).mismatch().isEmpty());
    }

    @Test
    void modelWithoutWeightsIsSkippedWithOneReason() throws Exception {
        Graph noWeights = new CaffeReader().read(DIR.resolve("lenet.prototxt"), null);
        NetworkPlan plan = NetworkPlanner.plan(noWeights, scales, PlanOptions.defaults(noWeights.format()));
        assertTrue(plan.skipped().isPresent());
        assertTrue(plan.skipped().get().contains("without weights"), plan.skipped().get());
        assertTrue(plan.layers().isEmpty());
    }

    @Test
    void missingTableEntriesAreNamed() {
        Map<String, Float> partial = new LinkedHashMap<>(scales);
        partial.remove("conv2");
        partial.remove("pool2");
        NetworkPlan plan = NetworkPlanner.plan(graph, partial, PlanOptions.defaults(graph.format()));
        for (String key : List.of("conv2", "pool2")) {
            assertTrue(plan.networkDiagnostics().stream().anyMatch(d -> d.layer().equals(key)
                    && d.code() == io.github.int8cal.plan.DiagnosticCode.MISSING_TABLE_ENTRY), plan.diagnostics()::toString);
        }
        // conv2 has no output scale: not programmed, no registers; conv1 is unaffected
        assertTrue(plan.layer("conv2").orElseThrow().rejected());
        assertEquals(null, plan.layer("conv2").orElseThrow().program());
        assertFalse(plan.layer("conv1").orElseThrow().rejected());
        assertTrue(RegisterEmitter.emit(plan).get(2).writes().isEmpty());
    }

    /**
     * docs/nvdla-compiler.md#what-was-checked-against-the-real-compiler: on nv_full with the default image input,
     * nvdla_compiler's weight stream for conv1 holds kernel rows 0, 1, 3, 4, 4 (post-extension by 2, row groups every
     * 64 / 20 = 3 rows). Warned in both modes; not on nv_small (atomicC 8) nor with a feature input.
     */
    @Test
    void nvFullImageInputConv1GetsTheWeightRowWarning() {
        for (RequantMode mode : RequantMode.values()) {
            var d = plan(mode, WeightScope.PER_FILTER, HardwareConfig.NV_FULL).layer("conv1").orElseThrow().diagnostics()
                    .stream().filter(x -> x.code() == io.github.int8cal.plan.DiagnosticCode.COMPILER_WEIGHT_BUG).toList();
            assertEquals(1, d.size(), mode::toString);
            assertTrue(d.get(0).message().contains("kernel rows [0, 1, 3, 4, 4] instead of 0..4"), d.get(0).message());
            assertTrue(plan(mode, WeightScope.PER_FILTER, HardwareConfig.NV_SMALL).diagnostics().stream()
                    .noneMatch(x -> x.code() == io.github.int8cal.plan.DiagnosticCode.COMPILER_WEIGHT_BUG));
        }
        NetworkPlan feature = NetworkPlanner.plan(graph, scales, PlanOptions.builder()
                .hardware(HardwareConfig.NV_FULL).inputFormat(io.github.int8cal.plan.InputFormat.FEATURE).build());
        assertTrue(feature.diagnostics().stream()
                .noneMatch(x -> x.code() == io.github.int8cal.plan.DiagnosticCode.COMPILER_WEIGHT_BUG));
    }
}
