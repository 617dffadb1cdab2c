package io.github.int8cal.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.int8cal.fixedpoint.WeightScope;
import io.github.int8cal.model.Attributes;
import io.github.int8cal.model.Graph;
import io.github.int8cal.model.GraphBuilder;
import io.github.int8cal.model.Layer;
import io.github.int8cal.model.ModelFormat;
import io.github.int8cal.model.ModelReader;
import io.github.int8cal.model.Op;
import io.github.int8cal.model.Shape;
import io.github.int8cal.model.Weights;
import io.github.int8cal.nvdla.datapath.AluAlgo;
import io.github.int8cal.nvdla.datapath.CdmaInputConverter;
import io.github.int8cal.nvdla.datapath.ConvParams;
import io.github.int8cal.nvdla.datapath.ConvSdpLayer;
import io.github.int8cal.nvdla.datapath.ConvolutionEngine;
import io.github.int8cal.nvdla.datapath.Int8Tensor;
import io.github.int8cal.nvdla.datapath.ConvLayerConfig;
import io.github.int8cal.nvdla.datapath.LayerResult;
import io.github.int8cal.nvdla.datapath.OutputConverter;
import io.github.int8cal.nvdla.datapath.SdpConfig;
import io.github.int8cal.nvdla.datapath.SdpOperand;
import io.github.int8cal.nvdla.datapath.SdpOutput;
import io.github.int8cal.nvdla.datapath.SdpStage;
import io.github.int8cal.nvdla.datapath.TensorLayout;
import io.github.int8cal.nvdla.datapath.XUnit;
import io.github.int8cal.nvdla.datapath.YUnit;
import io.github.int8cal.plan.ConvCoreProgram;
import io.github.int8cal.plan.HardwareLayerPlan;
import io.github.int8cal.plan.NetworkPlan;
import io.github.int8cal.plan.PlanOptions;
import io.github.int8cal.plan.NetworkPlanner;
import io.github.int8cal.plan.OperandSource;
import io.github.int8cal.plan.RequantMode;
import io.github.int8cal.plan.SdpProgram;
import io.github.int8cal.plan.XUnitProgram;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class Int8ExecutorTest {

    // ---- a tiny network computed by hand ---------------------------------------------------------

    /**
     * {@code x -> conv_a (1x1, 2->2, bias) -> ReLU = t1; t1 -> conv_b (1x1, 2->2, bias) = t2;
     * y = t1 + t2}, on a 2x2 image. Every number is chosen to be exact: scales x 1/64, t1 = t2 = 1/32,
     * y 1/16; every filter's |w|max is 127/64, so per-filter and per-tensor weight scales are both
     * 1/64 and the int8 weights are w*64; biases are multiples of Si*Sw. The requantization factors
     * are then exact powers of two (conv_a 1/128, conv_b 1/64, sum 1/2) and the expected values
     * follow from integer arithmetic alone (rechecked in Python with fractions):
     * <pre>
     * xq   c0 = [64, -32, 10, 127]   c1 = [0, 16, -64, 33]
     * wa = [[127, 32], [-64, 127]], ba = [1024, -2048] (units 1/4096)
     * acc_a k0 = [9152, -2528, 246, 18209]  /128 -> [71.5->72, -19.75->-20 (ReLU 0), 1.92->2, 142.3->142 (clips to 127)]
     * acc_a k1 = [-6144, 2032, -10816, -5985] /128 -> [-48 (0), 15.875->16, -84.5 (0), -46.8 (0)]
     * t1   k0 = [72, 0, 2, 127]   k1 = [0, 16, 0, 0]
     * wb = [[64, -127], [127, 32]], bb = [256, 0] (units 1/2048)
     * acc_b k0 = [4864, -1776, 384, 8384] /64 -> [76, -27.75->-28, 6, 131]
     * acc_b k1 = [9144, 512, 254, 16129]  /64 -> [142.9->143, 8, 3.97->4, 252.0->252]
     * per-filter super op: t2 stays int32, y = sat8(rhaz((t2 + t1) / 2))
     *      k0 = [74, -14, 4, 129->127]   k1 = [71.5->72, 12, 2, 126]
     * per-kernel: t2 is written as int8 first (143 -> 127, 252 -> 127, 131 -> 127), then
     *      k1 = [63.5->64, 12, 2, 63.5->64]
     * </pre>
     */
    static Graph tinyNetwork() throws Exception {
        GraphBuilder b = new GraphBuilder("tiny.onnx", ModelFormat.ONNX);
        b.addInput("x", "x", Shape.of(1, 2, 2, 2));
        conv1x1(b, "conv_a", "x", "a", new float[] {127 / 64f, 32 / 64f, -1f, 127 / 64f}, new float[] {0.25f, -0.5f});
        b.addLayer("relu_a", Op.RELU, "Relu", List.of("a"), List.of("t1"), List.of("t1"), Map.of(),
                Attributes.builder().put("negative_slope", 0.0).build());
        conv1x1(b, "conv_b", "t1", "t2", new float[] {1f, -127 / 64f, 127 / 64f, 0.5f}, new float[] {0.125f, 0f});
        b.addLayer("add", Op.ELTWISE, "Add", List.of("t1", "t2"), List.of("y"), List.of("y"), Map.of(),
                Attributes.builder().put("operation", "SUM").build());
        return b.build("tiny", Path.of("tiny.onnx"), true, null);
    }

    static void conv1x1(GraphBuilder b, String name, String in, String out, float[] w, float[] bias) {
        b.addConstant(name + ".w", Shape.of(2, 2, 1, 1), Weights.copyOf(w));
        b.addConstant(name + ".b", Shape.of(2), Weights.copyOf(bias));
        Map<String, String> weights = new LinkedHashMap<>();
        weights.put("weight", name + ".w");
        weights.put("bias", name + ".b");
        b.addLayer(name, Op.CONVOLUTION, "Conv", List.of(in), List.of(out), List.of(out), weights,
                Attributes.builder().put("num_output", 2L).putLongs("kernel", List.of(1L, 1L))
                        .putLongs("stride", List.of(1L, 1L)).putLongs("pads", List.of(0L, 0L, 0L, 0L))
                        .putLongs("dilation", List.of(1L, 1L)).put("group", 1L).build());
    }

    static Map<String, Float> tinyScales() {
        Map<String, Float> s = new LinkedHashMap<>();
        s.put("x", 1 / 64f);
        s.put("a", 1 / 32f);
        s.put("t1", 1 / 32f);
        s.put("t2", 1 / 32f);
        s.put("y", 1 / 16f);
        return s;
    }

    static FloatTensor tinyInput() {
        byte[] q = {64, -32, 10, 127, 0, 16, -64, 33};
        float[] x = new float[8];
        for (int i = 0; i < 8; i++) {
            x[i] = q[i] / 64f;
        }
        return new FloatTensor(Shape.of(1, 2, 2, 2), x);
    }

    static Map<String, StepResult> runTiny(WeightScope scope, RequantMode mode) throws Exception {
        Graph g = tinyNetwork();
        NetworkPlan plan = NetworkPlanner.plan(g, tinyScales(), PlanOptions.builder().scope(scope).mode(mode).build());
        try (Int8Executor e = new Int8Executor(g, plan, 1)) {
            return e.run(Map.of("x", tinyInput()));
        }
    }

    /**
     * conv_b's branch stays int32 until the add in both modes. Compiler: X1 rounds it to t2's grid
     * (1/32) first, so channel 1 at pixel 0 (t1 = 0, conv_b = 127/64 * 2.25 = 4.46484375) becomes
     * 143/32 = 4.46875 -> 71.5 steps of 1/16 -> 72. Precise keeps it on a grid 2^s finer and rounds
     * once at the end: 4.46484375 * 16 = 71.4375 -> 71.
     */
    @Test
    void perFilterSuperOpKeepsTheConvBranchInt32BeforeTheAdd() throws Exception {
        for (RequantMode mode : RequantMode.values()) {
            Map<String, StepResult> r = runTiny(WeightScope.PER_FILTER, mode);
            assertEquals(List.of("x", "conv_a", "conv_b"), List.copyOf(r.keySet()), mode + ": fused into conv_b");
            assertArrayEquals(new byte[] {72, 0, 2, 127, 0, 16, 0, 0}, r.get("conv_a").output().data(), mode.name());
            assertEquals(1, r.get("conv_a").clipped(), "142 clips to 127");
            byte y4 = mode == RequantMode.COMPILER ? (byte) 72 : (byte) 71;
            assertArrayEquals(new byte[] {74, -14, 4, 127, y4, 12, 2, 126}, r.get("conv_b").output().data(),
                    mode.name());
            assertEquals(1, r.get("conv_b").clipped(), "129 clips to 127");
            assertEquals(0, r.get("conv_b").caccSaturated());
            assertEquals("y", r.get("conv_b").output().shape().equals(Shape.of(1, 2, 2, 2)) ? "y" : "?");
        }
    }

    @Test
    void perKernelWritesTheConvBranchAsInt8BeforeTheStandAloneSum() throws Exception {
        Map<String, StepResult> r = runTiny(WeightScope.PER_KERNEL, RequantMode.COMPILER);
        assertEquals(List.of("x", "conv_a", "conv_b", "add"), List.copyOf(r.keySet()));
        assertArrayEquals(new byte[] {76, -28, 6, 127, 127, 8, 4, 127}, r.get("conv_b").output().data());
        assertEquals(3, r.get("conv_b").clipped());
        assertArrayEquals(new byte[] {74, -14, 4, 127, 64, 12, 2, 64}, r.get("add").output().data());
        assertEquals(-1, r.get("add").caccSaturated(), "a stand-alone SDP op has no CACC");
    }

    @Test
    void networkInputIsQuantizedHalfAwayFromZeroAndSaturated() {
        float[] x = {0.5f, -0.5f, 1.5f, -2.5f, 300f, -300f, 0.49f};
        byte[] q = new byte[x.length];
        long clipped = Int8Executor.quantize(x, 1f, q);
        assertArrayEquals(new byte[] {1, -1, 2, -3, 127, -128, 0}, q);
        assertEquals(2, clipped);
    }

    // ---- single layers bit for bit against the emulator ------------------------------------------

    /** Scales by max calibration of one fp32 run (amax/127 per tensor). */
    static Map<String, Float> maxScales(Graph g, FloatTensor input) {
        Map<String, Float> scales = new LinkedHashMap<>();
        try (Fp32Executor e = new Fp32Executor(g, 1)) {
            for (Map.Entry<String, FloatTensor> t : e.runAll(Map.of(g.inputs().get(0), input)).entrySet()) {
                float amax = 0;
                for (float v : t.getValue().data()) {
                    amax = Math.max(amax, Math.abs(v));
                }
                scales.put(t.getKey(), amax == 0 ? 1f : amax / 127f);
            }
        }
        return scales;
    }

    static FloatTensor random(Shape shape, long seed, double amplitude) {
        SplittableRandom r = new SplittableRandom(seed);
        float[] v = new float[(int) shape.elementCount()];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) ((r.nextDouble() * 2 - 1) * amplitude);
        }
        return new FloatTensor(shape, v);
    }

    /**
     * The plan's program mapped straight onto the datapath types (not through the register emitter
     * and decoder the executor uses): an independent path to the same configuration.
     */
    static XUnit xUnit(XUnitProgram p, int[] perPoint, int pixels) {
        if (p == null) {
            return XUnit.BYPASSED;
        }
        SdpOperand alu = operand(p.source(), p.aluOperands(), perPoint, pixels);
        SdpOperand mul = p.usesMul() ? operand(p.source(), p.mulOperands(), perPoint, pixels) : SdpOperand.register(0);
        return new XUnit(false, !p.usesAlu(), AluAlgo.SUM, !p.usesMul(), false, !p.relu(), p.aluShift(), p.mulShift(),
                p.usesAlu() ? alu : SdpOperand.register(0), mul);
    }

    static SdpOperand operand(OperandSource source, int[] values, int[] perPoint, int pixels) {
        return switch (source) {
            case REGISTER -> SdpOperand.register(values.length == 0 ? 0 : values[0]);
            case MEMORY_PER_CHANNEL -> new SdpOperand.PerKernel(values);
            case MEMORY_PER_POINT_INT8 -> new SdpOperand.PerElement(perPoint, pixels);
        };
    }

    static SdpConfig sdp(SdpProgram p, int[] perPoint, int pixels) {
        return new SdpConfig(xUnit(p.x1(), perPoint, pixels), xUnit(p.x2(), perPoint, pixels), YUnit.BYPASSED,
                new OutputConverter(p.outCvt().offset(), p.outCvt().scale(), p.outCvt().shift()), true);
    }

    @Test
    void convStepsReproduceTheEmulatorBitForBitInEveryModeAndScope(@TempDir Path dir) throws Exception {
        Graph g = ModelReader.read(Fp32ExecutorOnnxRuntimeTest.classifierWithResidual().write(dir, "c.onnx"), null);
        Map<String, Float> scales = maxScales(g, random(Shape.of(1, 3, 20, 20), 5, 2));
        int checked = 0;
        for (RequantMode mode : RequantMode.values()) {
            for (WeightScope scope : WeightScope.values()) {
                NetworkPlan plan = NetworkPlanner.plan(g, scales, PlanOptions.builder().mode(mode).scope(scope).build());
                try (Int8Executor e = new Int8Executor(g, plan, 2); ConvolutionEngine engine = new ConvolutionEngine(1)) {
                    for (Int8Step step : e.steps()) {
                        if (step.engine() == Int8Step.Engine.CONV_SDP) {
                            compareConv(g, e, step, engine, mode + "/" + scope);
                            checked++;
                        } else if (step.engine() == Int8Step.Engine.SDP) {
                            compareSdp(g, e, step, mode + "/" + scope);
                            checked++;
                        }
                    }
                }
            }
        }
        // 4 convs (conv1, conv2 [+ fused add per-filter], conv3, fc) x 4 plans + the stand-alone sum of
        // per-kernel in both modes (precise converts its pool-fed input instead of rejecting it)
        assertEquals(18, checked);
    }

    private static void compareConv(Graph g, Int8Executor e, Int8Step step, ConvolutionEngine engine, String what) {
        HardwareLayerPlan p = step.plan();
        Layer conv = step.graphLayers().get(0);
        Map<String, QuantTensor> env = new HashMap<>();
        SplittableRandom r = new SplittableRandom(step.name().hashCode());
        for (String in : step.inputs()) {
            Shape s = g.tensor(in).shape();
            byte[] q = new byte[(int) s.elementCount()];
            for (int i = 0; i < q.length; i++) {
                q[i] = (byte) r.nextInt(-128, 128);
            }
            env.put(in, new QuantTensor(s, q, e.runScale(in)));
        }
        StepResult got = e.runStep(step, env);

        QuantTensor x = env.get(step.inputs().get(0));
        Shape out = g.tensor(step.output()).shape();
        int kernels = p.requant().weights().length;
        byte[] w = new byte[kernels * p.requant().weights()[0].length];
        for (int k = 0; k < kernels; k++) {
            System.arraycopy(p.requant().weights()[k], 0, w, k * p.requant().weights()[0].length,
                    p.requant().weights()[0].length);
        }
        ConvParams params;
        Int8Tensor input;
        if (conv.op() == Op.INNER_PRODUCT) {
            int k = x.data().length;
            params = new ConvParams(1, 1, k, 1, 1, kernels, 1, 1, 1, 1, 0, 0, 1, 1, 0);
            input = new Int8Tensor(k, 1, 1, TensorLayout.NCHW, x.data());
        } else {
            int c = (int) x.shape().dim(1);
            int h = (int) x.shape().dim(2);
            int wd = (int) x.shape().dim(3);
            List<Long> kernel = conv.attributes().getLongs("kernel");
            int pad = conv.attributes().getLongs("pads").get(0).intValue();
            params = new ConvParams(wd, h, c, kernel.get(1).intValue(), kernel.get(0).intValue(), kernels, 1, 1, 1, 1,
                    pad, pad, (int) out.dim(3), (int) out.dim(2), 0);
            input = new Int8Tensor(c, h, wd, TensorLayout.NHWC, nhwc(x.data(), c, h * wd));
        }
        int[] perPoint = null;
        if (p.eltwise() != null) {
            byte[] other = env.get(step.inputs().get(1)).data();
            perPoint = new int[other.length];
            for (int i = 0; i < other.length; i++) {
                perPoint[i] = other[i];
            }
        }
        SdpProgram program = p.program();
        ConvCoreProgram core = program.convCore();
        ConvLayerConfig regs = new ConvLayerConfig(params, new CdmaInputConverter(core.cdmaCvtEnabled(),
                core.cdmaCvtOffset(), core.cdmaCvtScale(), core.cdmaCvtTruncate()), core.caccClipTruncate(),
                sdp(program, perPoint, params.outPixels()));
        LayerResult expected = ConvSdpLayer.run(engine, input, w, regs);
        byte[] expectedNchw = expected.output().planar();
        assertArrayEquals(expectedNchw, got.output().data(), what + " " + step.name());
        assertEquals(expected.int8Clipped(), got.clipped(), what + " " + step.name());
        assertEquals(expected.caccSaturated(), got.caccSaturated());
        assertEquals(expected.cvt17Saturated(), got.cvt17Saturated());
        assertTrue(got.output().data().length > 0);
    }

    private static void compareSdp(Graph g, Int8Executor e, Int8Step step, String what) {
        SplittableRandom r = new SplittableRandom(17);
        Map<String, QuantTensor> env = new HashMap<>();
        for (String in : step.inputs()) {
            Shape s = g.tensor(in).shape();
            byte[] q = new byte[(int) s.elementCount()];
            for (int i = 0; i < q.length; i++) {
                q[i] = (byte) r.nextInt(-128, 128);
            }
            env.put(in, new QuantTensor(s, q, e.runScale(in)));
        }
        StepResult got = e.runStep(step, env);
        byte[] a = env.get(step.inputs().get(0)).data();
        byte[] b = env.get(step.inputs().get(1)).data();
        int[] input = new int[a.length];
        int[] operand = new int[b.length];
        for (int i = 0; i < a.length; i++) {
            input[i] = a[i];
            operand[i] = b[i];
        }
        Shape s = g.tensor(step.output()).shape();
        int channels = (int) s.dim(1);
        int pixels = a.length / channels;
        SdpOutput expected = SdpStage.run(input, channels, channels, pixels, sdp(step.plan().program(), operand, pixels));
        assertArrayEquals(expected.values(), got.output().data(), what + " " + step.name());
        assertEquals(expected.int8Clipped(), got.clipped());
    }

    private static byte[] nhwc(byte[] planar, int channels, int pixels) {
        byte[] out = new byte[planar.length];
        for (int p = 0; p < pixels; p++) {
            for (int c = 0; c < channels; c++) {
                out[p * channels + c] = planar[c * pixels + p];
            }
        }
        return out;
    }

    @Test
    void everyStepOfTheClassifierRunsAndKeepsItsRunScale(@TempDir Path dir) throws Exception {
        Graph g = ModelReader.read(Fp32ExecutorOnnxRuntimeTest.classifierWithResidual().write(dir, "c.onnx"), null);
        FloatTensor x = random(Shape.of(1, 3, 20, 20), 5, 2);
        NetworkPlan plan = NetworkPlanner.plan(g, maxScales(g, x), PlanOptions.defaults(ModelFormat.ONNX));
        try (Int8Executor e = new Int8Executor(g, plan, 2)) {
            Map<String, Int8Step.Engine> engines = new LinkedHashMap<>();
            e.steps().forEach(s -> engines.put(s.name(), s.engine()));
            assertEquals(Int8Step.Engine.INPUT, engines.get("x"));
            assertEquals(Int8Step.Engine.PDP, engines.get("pool1"));
            assertEquals(Int8Step.Engine.CONV_SDP, engines.get("conv2"));
            assertEquals(Int8Step.Engine.VIEW, engines.get("cat"));
            assertEquals(Int8Step.Engine.VIEW, engines.get("flat"));
            assertEquals(Int8Step.Engine.PDP, engines.get("gap"));
            assertEquals(Int8Step.Engine.CPU, engines.get("softmax"));
            assertFalse(engines.containsValue(Int8Step.Engine.CPU_FALLBACK));
            Map<String, StepResult> r = e.run(Map.of("x", x));
            for (Int8Step s : e.steps()) {
                assertNotNull(r.get(s.name()), s.name());
                assertEquals(plan.runScales().get(s.output()), r.get(s.name()).output().scale(), s.name());
            }
        }
    }

    /**
     * Layers the planner leaves out (grouped conv, leaky ReLU, PReLU, Clip, element-wise Mul/Max,
     * stand-alone Bias/Scale from Sub/Div) run as float32 between int8 tensors and are marked; the
     * planned ones (dilated conv, pools, MatMul as FC) still run on the emulator. With max
     * calibration on the same input and precise mode (which carries scales through pooling) every
     * step stays close to float32 (SQNR above 20 dB). In compiler mode the average pool's output is
     * read at its own, smaller table scale although the PDP never rescales
     * (docs/nvdla-compiler.md#which-entries-are-used): the verification shows that error.
     */
    @Test
    void unplannedLayersFallBackToTheCpuAndTheNetworkStillRuns(@TempDir Path dir) throws Exception {
        Graph g = ModelReader.read(Fp32ExecutorOnnxRuntimeTest.opCoverage().write(dir, "ops.onnx"), null);
        FloatTensor x = random(Shape.of(1, 4, 11, 13), 8, 2);
        Map<String, Float> scales = maxScales(g, x);
        Path samples = java.nio.file.Files.createDirectories(dir.resolve("s"));
        NpyWriter.writeFloat32(samples.resolve("x.npy"), new long[] {1, 4, 11, 13}, x.data());
        NetworkPlan compiler = NetworkPlanner.plan(g, scales, PlanOptions.defaults(ModelFormat.ONNX));
        VerificationReport c = Verifier.verify(VerifyRequest.of(g, compiler, VerifySettings.builder().samples(samples)
                .threads(2).build()));
        assertTrue(c.layer("apool").orElseThrow().sqnrDb() < 10, "compiler mode reads the pool at the wrong scale");
        NetworkPlan plan = NetworkPlanner.plan(g, scales, PlanOptions.defaults(ModelFormat.ONNX)
                .withMode(RequantMode.PRECISE));
        VerificationReport r = Verifier.verify(VerifyRequest.of(g, plan, VerifySettings.builder().samples(samples)
                .threads(2).build()));
        Map<String, String> engines = new LinkedHashMap<>();
        r.layers().forEach(l -> engines.put(l.layer(), l.engine()));
        for (String fallback : List.of("gconv", "leaky", "prelu", "relu6", "mul", "max", "sub", "divide")) {
            assertEquals("cpu-fallback", engines.get(fallback), fallback);
            assertFalse(r.layer(fallback).orElseThrow().note().isEmpty());
        }
        assertEquals("conv-sdp", engines.get("dconv"));
        assertEquals("conv-sdp", engines.get("matmul"), "MatMul with a constant is an FC layer");
        assertEquals("pdp", engines.get("mpool"));
        assertEquals("view", engines.get("reshape"));
        for (LayerMetrics m : r.layers()) {
            assertTrue(m.sqnrDb() == null || m.sqnrDb() > 20, m.layer() + " " + m.sqnrDb());
        }
    }

    @Test
    void missingRunScalesAreOneProblemNamingEveryTensor() throws Exception {
        Graph g = tinyNetwork();
        Map<String, Float> scales = tinyScales();
        scales.remove("t1");
        scales.remove("t2"); // inside the fused super op: never an int8 tensor, needs no scale
        scales.remove("y");
        NetworkPlan plan = NetworkPlanner.plan(g, scales, PlanOptions.defaults(ModelFormat.ONNX));
        io.github.int8cal.problems.ProblemException e = org.junit.jupiter.api.Assertions.assertThrows(
                io.github.int8cal.problems.ProblemException.class,
                () -> Verifier.verify(VerifyRequest.of(g, plan, VerifySettings.builder().threads(1).build())));
        assertEquals(1, e.problems().size());
        assertTrue(e.getMessage().contains("missing or invalid for [t1, y]"), e.getMessage());
    }
}
