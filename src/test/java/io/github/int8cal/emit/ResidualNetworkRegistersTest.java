package io.github.int8cal.emit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.int8cal.fixedpoint.WeightScope;
import io.github.int8cal.model.Attributes;
import io.github.int8cal.model.Graph;
import io.github.int8cal.model.GraphBuilder;
import io.github.int8cal.model.ModelFormat;
import io.github.int8cal.model.Op;
import io.github.int8cal.model.Shape;
import io.github.int8cal.model.Weights;
import io.github.int8cal.nvdla.HardwareConfig;
import io.github.int8cal.nvdla.trace.TraceFile;
import io.github.int8cal.nvdla.trace.TraceParser;
import io.github.int8cal.plan.Diagnostic;
import io.github.int8cal.plan.DiagnosticCode;
import io.github.int8cal.plan.HardwareLayerPlan;
import io.github.int8cal.plan.HardwareOp;
import io.github.int8cal.plan.InputFormat;
import io.github.int8cal.plan.NetworkPlan;
import io.github.int8cal.plan.PlanOptions;
import io.github.int8cal.plan.NetworkPlanner;
import io.github.int8cal.plan.RequantMode;
import io.github.int8cal.plan.Severity;
import io.github.int8cal.problems.Problems;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An ONNX-style residual block built in code (the ONNX reader is not on main yet):
 * {@code x -> conv_a -> BN -> ReLU = t1;  t1 -> conv_b -> BN = t2;  add(t1, t2) -> ReLU = y -> avg pool}.
 * t1 fans out to conv_b and the sum (the identity skip). Scales are chosen so that the hand
 * computations below are exact in float32: t1 0.125, t2 0.0625, y 0.1.
 */
class ResidualNetworkRegistersTest {

    static final String CONV_B = "block1/conv b:1"; // needs escaping as a file name
    static Graph graph;
    static Map<String, Float> scales;

    @BeforeAll
    static void build() throws Exception {
        Random random = new Random(42);
        GraphBuilder b = new GraphBuilder("residual.onnx", ModelFormat.ONNX);
        b.addInput("x", "x", Shape.of(1, 8, 6, 6));
        conv(b, random, "conv_a", "x", "a", 3, 1, true);
        batchNorm(b, random, "bn_a", "a", "a_bn");
        b.addLayer("relu_a", Op.RELU, "Relu", List.of("a_bn"), List.of("t1"), List.of("t1"), Map.of(),
                Attributes.empty());
        conv(b, random, CONV_B, "t1", "b", 1, 0, false);
        batchNorm(b, random, "bn_b", "b", "t2");
        b.addLayer("add", Op.ELTWISE, "Add", List.of("t1", "t2"), List.of("s"), List.of("s"), Map.of(),
                Attributes.builder().put("operation", "SUM").build());
        b.addLayer("relu_out", Op.RELU, "Relu", List.of("s"), List.of("y"), List.of("y"), Map.of(),
                Attributes.empty());
        b.addLayer("pool", Op.POOLING, "GlobalAveragePool", List.of("y"), List.of("p"), List.of("p"), Map.of(),
                Attributes.builder().put("method", "AVE").put("global", true).build());
        graph = b.build("residual", Path.of("residual.onnx"), true, null);
        scales = new LinkedHashMap<>();
        float[] values = {0.02f, 0.2f, 0.15f, 0.125f, 0.07f, 0.0625f, 0.09f, 0.1f, 0.1f};
        String[] tensors = {"x", "a", "a_bn", "t1", "b", "t2", "s", "y", "p"};
        for (int i = 0; i < tensors.length; i++) {
            scales.put(tensors[i], values[i]);
        }
    }

    static void conv(GraphBuilder b, Random r, String name, String in, String out, int k, int pad, boolean bias) {
        float[] w = new float[8 * 8 * k * k];
        for (int i = 0; i < w.length; i++) {
            w[i] = (float) (r.nextGaussian() * 0.2);
        }
        b.addConstant(name + ".w", Shape.of(8, 8, k, k), Weights.copyOf(w));
        Map<String, String> weights = new LinkedHashMap<>();
        weights.put("weight", name + ".w");
        if (bias) {
            b.addConstant(name + ".b", Shape.of(8), Weights.copyOf(uniform(r, -0.1, 0.1)));
            weights.put("bias", name + ".b");
        }
        long p = pad;
        b.addLayer(name, Op.CONVOLUTION, "Conv", List.of(in), List.of(out), List.of(out), weights,
                Attributes.builder().put("num_output", 8L).putLongs("kernel", List.of((long) k, (long) k))
                        .putLongs("stride", List.of(1L, 1L)).putLongs("pads", List.of(p, p, p, p))
                        .putLongs("dilation", List.of(1L, 1L)).put("group", 1L).build());
    }

    static void batchNorm(GraphBuilder b, Random r, String name, String in, String out) {
        Map<String, String> weights = new LinkedHashMap<>();
        String[] roles = {"mean", "variance", "scale", "bias"};
        double[][] ranges = {{-0.5, 0.5}, {0.5, 2.0}, {0.5, 1.5}, {-0.2, 0.2}};
        for (int i = 0; i < roles.length; i++) {
            b.addConstant(name + "." + roles[i], Shape.of(8), Weights.copyOf(uniform(r, ranges[i][0], ranges[i][1])));
            weights.put(roles[i], name + "." + roles[i]);
        }
        b.addLayer(name, Op.BATCH_NORM, "BatchNormalization", List.of(in), List.of(out), List.of(out), weights,
                Attributes.builder().put("epsilon", 1e-5).build());
    }

    static float[] uniform(Random r, double lo, double hi) {
        float[] v = new float[8];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) (lo + (hi - lo) * r.nextDouble());
        }
        return v;
    }

    static NetworkPlan plan(RequantMode mode, WeightScope scope, HardwareConfig hw) {
        return NetworkPlanner.plan(graph, scales,
                PlanOptions.builder().mode(mode).scope(scope).hardware(hw).build());
    }

    static JsonNode written(NetworkPlan plan, Path dir) throws Exception {
        return LeNetRegistersTest.written(plan, dir);
    }

    @Test
    void onnxDefaultsToFeatureInputAndFoldsBatchNormAndRelu() {
        assertEquals(InputFormat.FEATURE, PlanOptions.defaults(ModelFormat.ONNX).inputFormat());
        NetworkPlan plan = plan(RequantMode.COMPILER, WeightScope.PER_FILTER, HardwareConfig.NV_SMALL);
        assertEquals(List.of("conv_a", CONV_B, "pool"), plan.layers().stream().map(HardwareLayerPlan::name).toList());
        assertEquals(List.of("conv_a", "bn_a", "relu_a"), plan.layers().get(0).graphLayers());
        assertEquals(List.of(CONV_B, "bn_b", "add", "relu_out"), plan.layers().get(1).graphLayers());
        assertEquals(HardwareOp.PDP, plan.layers().get(2).op());
        assertTrue(plan.inputRecipes().isEmpty(), "no image input recipe for feature input");
    }

    /**
     * Compiler equalization (docs/nvdla-compiler.md#shared-scales): the skip tensor t1 (input 0, one edge
     * with two readers) is overwritten with t2's scale 0.0625, so conv_a requantizes to 0.0625 and
     * clips at 7.94 instead of 15.9; conv_b reads t1 at 0.0625 as well.
     */
    @Test
    void compilerEqualizationOverwritesTheSkipTensorAndWarns() {
        NetworkPlan plan = plan(RequantMode.COMPILER, WeightScope.PER_FILTER, HardwareConfig.NV_SMALL);
        assertEquals(0.0625f, plan.runScales().get("t1"));
        assertEquals(0.0625f, plan.layer("conv_a").orElseThrow().requant().outputScale());
        assertEquals(0.0625f, plan.layer(CONV_B).orElseThrow().requant().inputScale());
        Diagnostic d = plan.networkDiagnostics().stream()
                .filter(x -> x.code() == DiagnosticCode.ELTWISE_SCALE_OVERWRITTEN).findFirst().orElseThrow();
        assertEquals("add", d.layer());
        assertEquals(Severity.WARNING, d.severity());
        // 127 * 0.0625 = 7.938, 127 * 0.125 = 15.88
        assertTrue(d.message().contains("relu_a") && d.message().contains("amax 7.938 instead of 15.88"),
                d.message());
    }

    /** Precise mode overwrites nothing: t1 keeps 0.125, t2 0.0625, the fused sum converts each. */
    @Test
    void preciseKeepsEverySumInputAtItsCalibratedScale() {
        NetworkPlan plan = plan(RequantMode.PRECISE, WeightScope.PER_FILTER, HardwareConfig.NV_SMALL);
        assertEquals(0.125f, plan.runScales().get("t1"));
        assertEquals(0.0625f, plan.runScales().get("t2"));
        assertTrue(plan.overwrites().isEmpty());
        assertTrue(plan.networkDiagnostics().stream().noneMatch(x -> x.code() == DiagnosticCode.ELTWISE_SCALE_OVERWRITTEN));
        HardwareLayerPlan fused = plan.layer(CONV_B).orElseThrow();
        assertEquals(0.125f, fused.inputScales().get(1), "the skip t1 is read at its own scale");
        // X2 adds t1 shifted by s onto the grid 0.125 * 2^-s; the converter takes that grid to y's 0.1
        int s = fused.program().x2().aluShift();
        assertTrue(s > 0);
        double grid = Math.scalb(0.125, -s);
        assertEquals(grid / 0.10000000149011612, fused.program().outCvt().factor(), grid / 0.1 * Math.scalb(1.0, -15));
    }

    /**
     * Per-filter super op: X1 BOTH per channel (conv requant, no ReLU), X2 ALU SUM with the skip read
     * per element as int8 (ReLU after the sum), output converter Si/So = 0.0625/0.1 = 0.625 ->
     * 20480 * 2^-15 (hand: floor(log2 0.625) + 1 = 0, t = 15, m = trunc(0.625 * 32768)).
     */
    @Test
    void perFilterSumIsFusedIntoConvB(@TempDir Path dir) throws Exception {
        JsonNode json = written(plan(RequantMode.COMPILER, WeightScope.PER_FILTER, HardwareConfig.NV_SMALL), dir);
        JsonNode l = LeNetRegistersTest.layer(json, CONV_B);
        assertEquals(2, LeNetRegistersTest.field(l, "SDP_RDMA", "D_BRDMA_CFG", "BRDMA_DATA_USE"));
        assertEquals(1, LeNetRegistersTest.field(l, "SDP", "D_DP_BS_CFG", "BS_RELU_BYPASS"));
        // NRDMA: enabled, ALU, one byte, per element, MC = 0x32, the value the hardware's own trace
        // sdp_5x24x18_bs_int8_mem_0 writes for the same configuration of BRDMA
        assertEquals("0x00000032", LeNetRegistersTest.register(l, "SDP_RDMA", "D_NRDMA_CFG").get("value").asText());
        // BN_CFG: not bypassed, ALU SUM (2 << 2), MUL bypassed (1 << 4), ReLU on -> 0x18
        assertEquals("0x00000018", LeNetRegistersTest.register(l, "SDP", "D_DP_BN_CFG").get("value").asText());
        assertEquals(1, LeNetRegistersTest.field(l, "SDP", "D_DP_BN_ALU_CFG", "BN_ALU_SRC"));
        assertEquals(20480, LeNetRegistersTest.field(l, "SDP", "D_CVT_SCALE", "CVT_SCALE"));
        assertEquals(15, LeNetRegistersTest.field(l, "SDP", "D_CVT_SHIFT", "CVT_SHIFT"));
        assertEquals(1, LeNetRegistersTest.field(l, "SDP", "D_FEATURE_MODE_CFG", "FLYING_MODE"));
        assertEquals(20480, l.get("eltwiseRequant").get("multiplier").asInt());
        // the exact factor is 0.0625 / 0.1f = 0.0625 / 0.10000000149011612 (double), not 0.625
        assertEquals(0.0625 / 0.10000000149011612, l.get("eltwiseRequant").get("factor").asDouble(), 0.0);
        assertEquals(1, l.get("operands").size(), "only X1 reads per-channel operands");
        assertEquals("registers/block1%2Fconv%20b%3A1.cfg", json.get("files").get(CONV_B).asText());
        Problems problems = new Problems();
        TraceFile trace = TraceParser.parse(dir.resolve("registers/block1%2Fconv%20b%3A1.cfg"), problems);
        assertTrue(problems.isEmpty(), problems::toString);
        assertEquals(l.get("registers").size() + 1, trace.commands().size());
    }

    /** Per-kernel: the sum is a separate stand-alone SDP op: X1 ALU SUM per element, ReLU, out_cvt Si/So. */
    @Test
    void perKernelSumIsAStandAloneSdpOp(@TempDir Path dir) throws Exception {
        NetworkPlan plan = plan(RequantMode.COMPILER, WeightScope.PER_KERNEL, HardwareConfig.NV_SMALL);
        assertEquals(List.of("conv_a", CONV_B, "add", "pool"),
                plan.layers().stream().map(HardwareLayerPlan::name).toList());
        JsonNode l = LeNetRegistersTest.layer(written(plan, dir), "add");
        assertEquals("sdp", l.get("op").asText());
        assertEquals("0x00000032", LeNetRegistersTest.register(l, "SDP_RDMA", "D_BRDMA_CFG").get("value").asText());
        assertEquals("0x00000018", LeNetRegistersTest.register(l, "SDP", "D_DP_BS_CFG").get("value").asText());
        assertEquals(0, LeNetRegistersTest.field(l, "SDP", "D_FEATURE_MODE_CFG", "FLYING_MODE"));
        assertEquals(0, LeNetRegistersTest.field(l, "SDP_RDMA", "D_FEATURE_MODE_CFG", "FLYING_MODE"));
        assertEquals(20480, LeNetRegistersTest.field(l, "SDP", "D_CVT_SCALE", "CVT_SCALE"));
        assertEquals(15, LeNetRegistersTest.field(l, "SDP", "D_CVT_SHIFT", "CVT_SHIFT"));
        assertFalse(l.has("file") && l.get("registers").toString().contains("D_CVT_CFG"), "no conv core for SDP");
        assertNull(plan.layer("add").orElseThrow().eltwise());
    }

    @Test
    void preciseIsNeverWorseThanCompiler() {
        for (WeightScope scope : WeightScope.values()) {
            double c = plan(RequantMode.COMPILER, scope, HardwareConfig.NV_SMALL).worstRelativeError();
            double p = plan(RequantMode.PRECISE, scope, HardwareConfig.NV_SMALL).worstRelativeError();
            System.out.printf("residual %s worst |relative error|: compiler %.3e, precise %.3e%n", scope, c, p);
            assertTrue(p <= c, scope + ": precise " + p + " > compiler " + c);
        }
    }

    @Test
    void writesTheSameBytesTwiceOnBothHardwareFamilies(@TempDir Path dir) throws Exception {
        for (HardwareConfig hw : List.of(HardwareConfig.NV_SMALL, HardwareConfig.NV_FULL)) {
            for (WeightScope scope : WeightScope.values()) {
                for (RequantMode mode : RequantMode.values()) {
                    String tag = hw.name() + "-" + scope + "-" + mode;
                    written(plan(mode, scope, hw), dir.resolve(tag + "-a"));
                    written(plan(mode, scope, hw), dir.resolve(tag + "-b"));
                    LeNetRegistersTest.assertSameTree(dir.resolve(tag + "-a"), dir.resolve(tag + "-b"));
                }
            }
        }
        JsonNode full = new ObjectMapper().readTree(dir.resolve("nv_full-PER_FILTER-COMPILER-a/registers.json").toFile());
        JsonNode l = LeNetRegistersTest.layer(full, CONV_B);
        assertEquals("0x0000a040", LeNetRegistersTest.register(l, "SDP_RDMA", "D_NRDMA_CFG").get("address").asText());
        assertEquals(1, LeNetRegistersTest.field(l, "SDP_RDMA", "D_ERDMA_CFG", "ERDMA_DISABLE"));
    }
}
