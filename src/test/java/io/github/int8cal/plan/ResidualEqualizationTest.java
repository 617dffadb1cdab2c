package io.github.int8cal.plan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.int8cal.examples.ResidualNets;
import io.github.int8cal.fixedpoint.WeightScope;
import io.github.int8cal.model.Graph;
import io.github.int8cal.model.caffe.CaffeReader;
import io.github.int8cal.model.onnx.OnnxReader;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Compiler-mode element-wise equalization on residual networks written by test code, as a Caffe
 * prototxt + caffemodel and as the equivalent ONNX graph, against values derived by hand from the
 * rule (docs/residual-networks.md; docs/nvdla-compiler.md#shared-scales, #factor-to-multiplier-and-shift):
 * the sum's input whose tensor was created first (its producer comes first in the network) takes
 * the other input's scale, whatever the order of the Eltwise bottoms; sums are walked in the
 * compiler's traversal order; the producer and every reader of an overwritten tensor use the new
 * scale.
 *
 * <p>Every conv is 1x1 over 4 channels with max |w| = 0.5 in every filter, so
 * {@code Sw = float32(0.5) / 127 = 0.003937007859...} per filter and per tensor, and the factors
 * are {@code r = float32(float32(Si / So) * Sw)} (convs) and {@code float32(Si / So)} (sums), encoded
 * as {@code t = 15 - (floor(log2 r) + 1)}, {@code m = trunc(r * 2^t)}. The hand derivations are in
 * each test's comments. Input scale 0.05; no layer has BN, so image and feature input give the same
 * values (the input has 4 channels: no image channel padding).
 */
class ResidualEqualizationTest {

    @TempDir
    static Path dir;

    enum Format {
        CAFFE, ONNX
    }

    static Graph read(ResidualNets net, Format format, String stem) throws Exception {
        if (format == Format.CAFFE) {
            Path prototxt = net.writeCaffe(dir, stem);
            return new CaffeReader().read(prototxt, dir.resolve(stem + ".caffemodel"));
        }
        return new OnnxReader().read(net.writeOnnx(dir.resolve(stem + ".onnx")));
    }

    static Map<String, Float> scales(ResidualNets net, Format format, Object... topAndScale) {
        Map<String, Float> byTop = new LinkedHashMap<>();
        for (int i = 0; i < topAndScale.length; i += 2) {
            byTop.put((String) topAndScale[i], ((Number) topAndScale[i + 1]).floatValue());
        }
        return format == Format.CAFFE ? net.caffeScales(byTop) : net.onnxScales(byTop);
    }

    static NetworkPlan plan(Graph g, Map<String, Float> scales, RequantMode mode, WeightScope scope, InputFormat in) {
        return NetworkPlanner.plan(g, scales, PlanOptions.builder().mode(mode).scope(scope).inputFormat(in)
                .build());
    }

    static List<Arguments> formatsAndInputs() {
        List<Arguments> out = new java.util.ArrayList<>();
        for (Format f : Format.values()) {
            for (InputFormat in : InputFormat.values()) {
                out.add(Arguments.of(f, in));
            }
        }
        return out;
    }

    /** Per-kernel conv: X1 adds the bias, the output converter requantizes. */
    static void perKernelConv(NetworkPlan plan, String layer, int m, int t) {
        SdpProgram p = plan.layer(layer).orElseThrow().program();
        assertEquals(new CvtProgram(m, t, 0), p.outCvt(), layer);
        assertEquals(XOpType.ADD, p.x1().type(), layer);
    }

    /** Per-filter conv: X1 BOTH [bias, m[k]] with one truncate (every filter has the same Sw here). */
    static void perFilterConv(NetworkPlan plan, String layer, int m, int t) {
        SdpProgram p = plan.layer(layer).orElseThrow().program();
        assertEquals(XOpType.BOTH, p.x1().type(), layer);
        assertArrayEquals(new int[] {m, m, m, m}, p.x1().mulOperands(), layer);
        assertEquals(t, p.x1().mulShift(), layer);
    }

    static ScaleOverwrite only(NetworkPlan plan) {
        assertEquals(1, plan.overwrites().size(), plan.overwrites()::toString);
        return plan.overwrites().get(0);
    }

    // ---- identity block ---------------------------------------------------------------------

    /**
     * {@code data -> stem (+relu) -> b1a (+relu) -> b1b; sum1 = b1b + stem (+relu)}, the bottoms in
     * either order. Scales: stem 0.11, b1a 0.07, b1b 0.09, sum1 0.13.
     */
    static ResidualNets identity(boolean branchFirst) {
        ResidualNets n = new ResidualNets("identity", 4, 4).conv("stem", "data", true, 1)
                .conv("b1a", "stem", true, 2).conv("b1b", "b1a", false, 3);
        return branchFirst ? n.sum("sum1", "b1b", "stem", true) : n.sum("sum1", "stem", "b1b", true);
    }

    /**
     * stem's tensor is created before b1b's, so it is input 0 in both bottom orders and takes b1b's
     * scale 0.09 (amax 11.43 instead of 13.97). Hand derivation:
     * <ul>
     * <li>stem: Si/So = 0.05/0.09 -> 0.5555556, * Sw = 0.0021872264; log2 = -8.84, floor -9, t = 15 + 8
     *     = 23, m = trunc(0.0021872264 * 2^23) = 18347 (calibrated So 0.11 would give 30023 / 2^24);</li>
     * <li>b1a reads stem at 0.09: 0.09/0.07 * Sw = 0.0050618676 -> t 22, m = 21231;</li>
     * <li>b1b: 0.07/0.09 * Sw = 0.0030621171 -> t 23, m = 25686;</li>
     * <li>sum1: Si = stem's run scale 0.09, 0.09/0.13 = 0.69230777 -> t 15, m = trunc(22685.03) = 22685.</li>
     * </ul>
     */
    @ParameterizedTest
    @MethodSource("formatsAndInputs")
    void identityBlockOverwritesTheSkipWhateverTheBottomOrder(Format format, InputFormat input) throws Exception {
        for (boolean branchFirst : new boolean[] {true, false}) {
            ResidualNets net = identity(branchFirst);
            Graph g = read(net, format, "identity-" + branchFirst);
            Map<String, Float> s = scales(net, format, "data", 0.05, "stem", 0.11, "b1a", 0.07, "b1b", 0.09,
                    "sum1", 0.13);
            for (WeightScope scope : WeightScope.values()) {
                NetworkPlan plan = plan(g, s, RequantMode.COMPILER, scope, input);
                String tag = format + " " + input + " " + scope + " branchFirst=" + branchFirst;
                ScaleOverwrite o = only(plan);
                assertEquals("stem", o.tensor(), tag);
                assertEquals("stem_relu", o.producer(), tag);
                assertEquals("sum1", o.sum(), tag);
                assertEquals("b1b", o.source(), tag);
                assertEquals(0.11f, o.previousScale(), tag);
                assertEquals(0.09f, o.runScale(), tag);
                assertTrue(o.producerRescales() && o.narrows(), tag);
                assertEquals(0.09f, plan.runScales().get("stem"), tag);
                assertEquals(0.11f, plan.calibratedScales().get("stem"), tag);
                assertEquals(0.09f, plan.runScales().get("b1b"), tag);
                assertEquals(0.13f, plan.runScales().get("sum1"), tag);
                // every reader of stem reads it at 0.09, its producer requantizes to 0.09
                assertEquals(0.09f, plan.layer("b1a").orElseThrow().requant().inputScale(), tag);
                assertEquals(0.09f, plan.layer("stem").orElseThrow().requant().outputScale(), tag);
                if (scope == WeightScope.PER_KERNEL) {
                    perKernelConv(plan, "stem", 18347, 23);
                    perKernelConv(plan, "b1a", 21231, 22);
                    perKernelConv(plan, "b1b", 25686, 23);
                    assertEquals(new CvtProgram(22685, 15, 0), plan.layer("sum1").orElseThrow().program().outCvt(), tag);
                } else {
                    perFilterConv(plan, "stem", 18347, 23);
                    perFilterConv(plan, "b1a", 21231, 22);
                    // b1b is visited after stem: the sum fuses into it (X1 conv, X2 adds stem, CVT Si/So)
                    HardwareLayerPlan fused = plan.layer("b1b").orElseThrow();
                    assertEquals(List.of("b1b", "sum1", "sum1_relu"), fused.graphLayers(), tag);
                    perFilterConv(plan, "b1b", 25686, 23);
                    assertEquals(OperandSource.MEMORY_PER_POINT_INT8, fused.program().x2().source(), tag);
                    assertEquals(0, fused.program().x2().aluShift(), tag);
                    assertTrue(fused.program().x2().relu(), tag);
                    assertEquals(new CvtProgram(22685, 15, 0), fused.program().outCvt(), tag);
                    assertEquals(List.of("b1a", "stem"), fused.inputTensors(), tag);
                }
                Diagnostic d = plan.networkDiagnostics().stream()
                        .filter(x -> x.code() == DiagnosticCode.ELTWISE_SCALE_OVERWRITTEN).findFirst().orElseThrow();
                assertEquals(Severity.WARNING, d.severity(), tag);
                // 127 * 0.09 = 11.43, 127 * 0.11 = 13.97
                assertTrue(d.message().startsWith("'stem' (written by 'stem_relu', sum input 0")
                        && d.message().contains("amax 11.43 instead of 13.97"), d.message());
            }
        }
    }

    /**
     * Precise mode overwrites nothing: stem keeps 0.11, and the sum converts each input. Per-filter it
     * fuses into b1b (the conv visited later) with the operand stem read at its own scale: the conv's
     * largest factor onto stem's scale is 0.07 * Sw / 0.11 = 0.0025054, and 0.0025054 * 2^16 = 164 <
     * 2^14, so s = 16 and the grid is U = 0.11 * 2^-16; X1 takes b1b onto it: 0.07 * Sw / U =
     * 164.19184 -> shift 14 - 7 = 7, m = round(164.19184 * 2^7) = 21017 per filter; X2 adds stem << 16
     * (ReLU after the sum); the converter applies U / 0.13 = 0.84615387 * 2^-16 -> 27727 * 2^-31.
     * Per-kernel the stand-alone sum converts as well (main input first bottom).
     */
    @ParameterizedTest
    @MethodSource("formatsAndInputs")
    void preciseModeKeepsTheSkipsScaleAndConvertsInTheSum(Format format, InputFormat input) throws Exception {
        for (boolean branchFirst : new boolean[] {true, false}) {
            ResidualNets net = identity(branchFirst);
            Graph g = read(net, format, "identity-precise-" + branchFirst);
            Map<String, Float> s = scales(net, format, "data", 0.05, "stem", 0.11, "b1a", 0.07, "b1b", 0.09,
                    "sum1", 0.13);
            NetworkPlan perFilter = plan(g, s, RequantMode.PRECISE, WeightScope.PER_FILTER, input);
            assertTrue(perFilter.overwrites().isEmpty());
            assertEquals(0.11f, perFilter.runScales().get("stem"));
            assertEquals(0.11f, perFilter.layer("stem").orElseThrow().requant().outputScale());
            HardwareLayerPlan fused = perFilter.layer("b1b").orElseThrow();
            assertTrue(fused.graphLayers().contains("sum1"));
            SdpProgram p = fused.program();
            assertArrayEquals(new int[] {21017, 21017, 21017, 21017}, p.x1().mulOperands());
            assertEquals(7, p.x1().mulShift());
            assertEquals(16, p.x2().aluShift());
            assertTrue(p.x2().relu());
            assertEquals(new CvtProgram(27727, 31, 0), p.outCvt());
            assertEquals(List.of("b1a", "stem"), fused.inputTensors());
            assertEquals(List.of(0.07f, 0.11f), fused.inputScales());

            NetworkPlan perKernel = plan(g, s, RequantMode.PRECISE, WeightScope.PER_KERNEL, input);
            HardwareLayerPlan sum = perKernel.layer("sum1").orElseThrow();
            assertEquals(LayerKind.ELTWISE_CONVERTING, sum.requant().kind());
            assertEquals(branchFirst ? List.of("b1b", "stem") : List.of("stem", "b1b"), sum.inputTensors());
            assertFalse(sum.rejected(), sum.diagnostics()::toString);
        }
    }

    // ---- projection block -------------------------------------------------------------------

    /**
     * {@code stem; pa (+relu) = conv(stem); pb = conv(pa); proj = conv(stem); sumP = proj + pb (+relu)}
     * with proj defined after pb (as in ResNet prototxts) or before pa. Scales: stem 0.11, pa 0.07,
     * pb 0.09, proj 0.08, sumP 0.13.
     */
    static ResidualNets projection(boolean projLast) {
        ResidualNets n = new ResidualNets("projection", 4, 4).conv("stem", "data", true, 1);
        if (!projLast) {
            n.conv("proj", "stem", false, 4);
        }
        n.conv("pa", "stem", true, 2).conv("pb", "pa", false, 3);
        if (projLast) {
            n.conv("proj", "stem", false, 4);
        }
        return n.sum("sumP", "proj", "pb", true);
    }

    /**
     * proj after the branch: pb's tensor is created first, so pb takes proj's scale 0.08 (narrowing);
     * the traversal visits pa, pb before proj, so a per-filter sum fuses into proj and pb is written
     * out in int8 at 0.08. pb: 0.07/0.08 * Sw = 0.0034448819 -> t 23, m = 28897; proj:
     * 0.11/0.08 * Sw = 0.0054133860 -> t 22, m = 22705; sum: 0.08/0.13 = 0.61538464 -> 20164 / 2^15.
     * <br>proj before the branch: proj's tensor is created first and takes pb's 0.09 (widening, no
     * clipping); the sum fuses into pb, proj is written out at 0.09. proj: 0.11/0.09 * Sw =
     * 0.0048118983 -> t 22, m = 20182; pb: 0.07/0.09 * Sw -> 25686 / 2^23; sum: 0.09/0.13 -> 22685 / 2^15.
     */
    @ParameterizedTest
    @MethodSource("formatsAndInputs")
    void projectionBlockOverwritesWhicheverBranchWasCreatedFirst(Format format, InputFormat input) throws Exception {
        for (boolean projLast : new boolean[] {true, false}) {
            ResidualNets net = projection(projLast);
            Graph g = read(net, format, "projection-" + projLast);
            Map<String, Float> s = scales(net, format, "data", 0.05, "stem", 0.11, "pa", 0.07, "pb", 0.09,
                    "proj", 0.08, "sumP", 0.13);
            for (WeightScope scope : WeightScope.values()) {
                NetworkPlan plan = plan(g, s, RequantMode.COMPILER, scope, input);
                String tag = format + " " + input + " " + scope + " projLast=" + projLast;
                ScaleOverwrite o = only(plan);
                String lost = projLast ? "pb" : "proj";
                String kept = projLast ? "proj" : "pb";
                float common = projLast ? 0.08f : 0.09f;
                assertEquals(lost, o.tensor(), tag);
                assertEquals(kept, o.source(), tag);
                assertEquals(common, o.runScale(), tag);
                assertEquals(projLast, o.narrows(), tag);
                int[] pb = projLast ? new int[] {28897, 23} : new int[] {25686, 23};
                int[] proj = projLast ? new int[] {22705, 22} : new int[] {20182, 22};
                CvtProgram sum = projLast ? new CvtProgram(20164, 15, 0) : new CvtProgram(22685, 15, 0);
                if (scope == WeightScope.PER_KERNEL) {
                    perKernelConv(plan, "pb", pb[0], pb[1]);
                    perKernelConv(plan, "proj", proj[0], proj[1]);
                    assertEquals(sum, plan.layer("sumP").orElseThrow().program().outCvt(), tag);
                } else {
                    perFilterConv(plan, "pb", pb[0], pb[1]);
                    perFilterConv(plan, "proj", proj[0], proj[1]);
                    HardwareLayerPlan fused = plan.layer(kept).orElseThrow();
                    assertTrue(fused.graphLayers().contains("sumP"), tag + " fused into " + kept);
                    assertEquals(sum, fused.program().outCvt(), tag);
                    assertEquals(lost, fused.inputTensors().get(1), tag);
                    assertFalse(plan.layer(lost).orElseThrow().graphLayers().contains("sumP"), tag);
                }
            }
        }
    }

    // ---- two blocks in a row ----------------------------------------------------------------

    /**
     * {@code stem; block 1: b1a, b1b, sum1 = b1b + stem (+relu); block 2: b2a = conv(sum1) (+relu),
     * b2b, sum2 = b2b + sum1 (+relu)}. Scales: stem 0.11, b1a 0.07, b1b 0.09, sum1 0.13, b2a 0.06,
     * b2b 0.1, sum2 0.15. sum1 is walked first: stem takes 0.09; then sum2: sum1's output (created
     * before b2b) takes 0.1, so sum1's own table scale is never used: the op computing sum1 converts
     * 0.09/0.1 = 0.90000004 -> 29491 / 2^15, b2a reads sum1 at 0.1 (0.1/0.06 * Sw = 0.0065616802 ->
     * 27521 / 2^22), sum2 converts 0.1/0.15 = 0.66666663 -> 21845 / 2^15.
     */
    @ParameterizedTest
    @MethodSource("formatsAndInputs")
    void chainedBlocksOverwriteTheSkipAndThenTheFirstSumsOutput(Format format, InputFormat input) throws Exception {
        ResidualNets net = identity(true).conv("b2a", "sum1", true, 5).conv("b2b", "b2a", false, 6)
                .sum("sum2", "b2b", "sum1", true);
        Graph g = read(net, format, "chain");
        Map<String, Float> s = scales(net, format, "data", 0.05, "stem", 0.11, "b1a", 0.07, "b1b", 0.09,
                "sum1", 0.13, "b2a", 0.06, "b2b", 0.1, "sum2", 0.15);
        for (WeightScope scope : WeightScope.values()) {
            NetworkPlan plan = plan(g, s, RequantMode.COMPILER, scope, input);
            String tag = format + " " + input + " " + scope;
            assertEquals(List.of("stem", "sum1"), plan.overwrites().stream().map(ScaleOverwrite::tensor).toList(), tag);
            assertEquals(List.of("sum1", "sum2"), plan.overwrites().stream().map(ScaleOverwrite::sum).toList(), tag);
            assertEquals(0.1f, plan.runScales().get("sum1"), tag);
            assertEquals(0.13f, plan.calibratedScales().get("sum1"), tag);
            String sum1Op = scope == WeightScope.PER_KERNEL ? "sum1" : "b1b";
            String sum2Op = scope == WeightScope.PER_KERNEL ? "sum2" : "b2b";
            assertEquals(new CvtProgram(29491, 15, 0), plan.layer(sum1Op).orElseThrow().program().outCvt(), tag);
            assertEquals(new CvtProgram(21845, 15, 0), plan.layer(sum2Op).orElseThrow().program().outCvt(), tag);
            if (scope == WeightScope.PER_KERNEL) {
                perKernelConv(plan, "b2a", 27521, 22);
            } else {
                perFilterConv(plan, "b2a", 27521, 22);
            }
        }
    }

    // ---- one tensor read by two sums (the walk order decides) -------------------------------

    /**
     * {@code T = convT(data) (+relu); Y = convY(T) (+relu); X = convX(data) (+relu); sumA = T + X
     * (+relu); sumB = T + Y (+relu)}: T has three readers, two of them sums. Scales: T 0.11, Y 0.09,
     * X 0.07, sumA 0.13, sumB 0.15.
     *
     * <p>The compiler's traversal starts at data's readers [convT, convX]; after convT its pointer
     * follows T's first reader convY, the other readers get pointers inserted after it in reverse
     * order (sumB, then sumA); convY makes sumB ready, so sumB is walked before sumA although sumA
     * comes first in the file. sumB: T (created first) takes Y's 0.09; sumA: T, now at 0.09, takes
     * X's 0.07. T ends at 0.07, sumB adds T (0.07) and Y (0.09) as they are (warned), its converter
     * uses input 0 = T: 0.07/0.15 = 0.46666664 -> log2 = -1.1, t = 16, m = trunc(30583.4) = 30583;
     * sumA: 0.07/0.13 = 0.53846157 -> 17644 / 2^15; convT: 0.05/0.07 * Sw = 0.0028121485 -> 23590 / 2^23;
     * convY reads T at 0.07: 0.07/0.09 * Sw -> 25686 / 2^23. (Walking in file order would end with
     * T at 0.09 instead.)
     */
    @ParameterizedTest
    @MethodSource("formatsAndInputs")
    void aTensorReadByTwoSumsFollowsTheCompilersWalkOrder(Format format, InputFormat input) throws Exception {
        ResidualNets net = new ResidualNets("two-sums", 4, 4).conv("T", "data", true, 1).conv("Y", "T", true, 2)
                .conv("X", "data", true, 3).sum("sumA", "T", "X", true).sum("sumB", "T", "Y", true);
        Graph g = read(net, format, "two-sums");
        List<String> walk = CompilerGraphOrder.of(g).visitOrder().stream().map(io.github.int8cal.model.Layer::name)
                .filter(n -> n.startsWith("sum") && !n.endsWith("_relu")).toList();
        assertEquals(List.of("sumB", "sumA"), walk);
        Map<String, Float> s = scales(net, format, "data", 0.05, "T", 0.11, "Y", 0.09, "X", 0.07, "sumA", 0.13,
                "sumB", 0.15);
        NetworkPlan plan = plan(g, s, RequantMode.COMPILER, WeightScope.PER_KERNEL, input);
        assertEquals(List.of("sumB", "sumA"), plan.overwrites().stream().map(ScaleOverwrite::sum).toList());
        assertEquals(List.of(0.09f, 0.07f), plan.overwrites().stream().map(ScaleOverwrite::runScale).toList());
        assertEquals(0.09f, plan.overwrites().get(1).previousScale(), "sumA sees sumB's overwrite");
        assertEquals(0.07f, plan.runScales().get("T"));
        perKernelConv(plan, "T", 23590, 23);
        perKernelConv(plan, "Y", 25686, 23);
        assertEquals(new CvtProgram(17644, 15, 0), plan.layer("sumA").orElseThrow().program().outCvt());
        HardwareLayerPlan sumB = plan.layer("sumB").orElseThrow();
        assertEquals(new CvtProgram(30583, 16, 0), sumB.program().outCvt());
        assertTrue(sumB.diagnostics().stream().anyMatch(d -> d.severity() == Severity.WARNING
                && d.message().contains("run at different scales")), sumB.diagnostics()::toString);
    }

    // ---- a sum fed by a pool ----------------------------------------------------------------

    /**
     * {@code stem (+relu); p = maxpool(stem); b = conv(p); sumP = b + p (+relu)}, table scales stem
     * 0.11, p 0.1, b 0.09, sumP 0.13. Compiler: p (created first) takes b's 0.09, but pooling never
     * rescales, so p's values stay at stem's 0.11 and every reader misreads them (warned); b reads p
     * at 0.09: 0.09/0.09 * Sw -> 16513 / 2^22. Precise: p carries stem's 0.11, both inputs keep their
     * scales and the sum converts them (no INVALID_SCALE).
     */
    @ParameterizedTest
    @MethodSource("formatsAndInputs")
    void aPoolFedSumIsMisreadByTheCompilerAndConvertedInPreciseMode(Format format, InputFormat input)
            throws Exception {
        ResidualNets net = new ResidualNets("pool-fed", 4, 4).conv("stem", "data", true, 1).pool("p", "stem")
                .conv("b", "p", false, 2).sum("sumP", "b", "p", true);
        Graph g = read(net, format, "pool-fed");
        Map<String, Float> s = scales(net, format, "data", 0.05, "stem", 0.11, "p", 0.1, "b", 0.09, "sumP", 0.13);
        NetworkPlan compiler = plan(g, s, RequantMode.COMPILER, WeightScope.PER_KERNEL, input);
        ScaleOverwrite o = only(compiler);
        assertEquals("p", o.tensor());
        assertFalse(o.producerRescales());
        assertEquals(0.09f, compiler.runScales().get("p"));
        perKernelConv(compiler, "b", 16513, 22);
        assertTrue(compiler.networkDiagnostics().stream().anyMatch(d -> d.code() == DiagnosticCode.ELTWISE_SCALE_OVERWRITTEN
                && d.message().contains("never rescales")), compiler.networkDiagnostics()::toString);
        for (WeightScope scope : WeightScope.values()) {
            NetworkPlan precise = plan(g, s, RequantMode.PRECISE, scope, input);
            assertTrue(precise.overwrites().isEmpty());
            assertEquals(0.11f, precise.runScales().get("p"), "precise carries the pool's input scale");
            HardwareLayerPlan sum = precise.layers().stream().filter(l -> l.graphLayers().contains("sumP"))
                    .findFirst().orElseThrow();
            assertFalse(sum.rejected(), sum.diagnostics()::toString);
            assertTrue(precise.diagnostics().stream().noneMatch(d -> d.code() == DiagnosticCode.INVALID_SCALE),
                    precise.diagnostics()::toString);
            assertNull(precise.overwriteOf("p").orElse(null));
        }
    }

    // ---- a per-filter fusion the compiler cannot compile ------------------------------------

    /**
     * {@code stem (+relu); b = conv(stem); sum1 = b + stem (+relu)}: per-filter, the sum fuses into
     * b's SDP op, whose conv reads stem itself. nvdla_compiler then adds a compute edge stem -> b next
     * to the data edge, and its topological sort visits b twice: "Can't resolve a non-acyclic graph"
     * (observed with the real compiler on this net, and on the pool-fed and two-sums nets above). The
     * identity block (b1b reads b1a, not stem) compiles.
     */
    @ParameterizedTest
    @MethodSource("formatsAndInputs")
    void perFilterFusionIntoAConvReadingTheOtherInputIsAnError(Format format, InputFormat input) throws Exception {
        ResidualNets net = new ResidualNets("direct", 4, 4).conv("stem", "data", true, 1).conv("b", "stem", false, 2)
                .sum("sum1", "b", "stem", true);
        Graph g = read(net, format, "direct");
        Map<String, Float> s = scales(net, format, "data", 0.05, "stem", 0.11, "b", 0.09, "sum1", 0.13);
        NetworkPlan perFilter = plan(g, s, RequantMode.COMPILER, WeightScope.PER_FILTER, input);
        Diagnostic d = perFilter.diagnostics().stream().filter(x -> x.code() == DiagnosticCode.ELTWISE_UNSUPPORTED)
                .findFirst().orElseThrow();
        assertEquals(Severity.ERROR, d.severity());
        assertEquals("sum1", d.layer());
        assertTrue(d.message().contains("Can't resolve a non-acyclic graph"), d.message());
        for (NetworkPlan ok : List.of(plan(g, s, RequantMode.COMPILER, WeightScope.PER_KERNEL, input),
                plan(g, s, RequantMode.PRECISE, WeightScope.PER_FILTER, input))) {
            assertTrue(ok.diagnostics().stream().noneMatch(x -> x.code() == DiagnosticCode.ELTWISE_UNSUPPORTED));
        }
        NetworkPlan identity = plan(read(identity(true), format, "identity-ok"), scales(identity(true), format,
                "data", 0.05, "stem", 0.11, "b1a", 0.07, "b1b", 0.09, "sum1", 0.13), RequantMode.COMPILER,
                WeightScope.PER_FILTER, input);
        assertTrue(identity.diagnostics().stream().noneMatch(x -> x.code() == DiagnosticCode.ELTWISE_UNSUPPORTED));
    }
}
