package io.github.int8cal.plan;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.github.int8cal.fixedpoint.WeightScope;
import io.github.int8cal.model.Graph;
import io.github.int8cal.model.caffe.CaffeReader;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Compiler mode against the real nvdla_compiler's LeNet loadable
 * (docs/nvdla-compiler.md#what-was-checked-against-the-real-compiler, nv_small, table lenet.int8.json). Scales come
 * from the JSON table; weights from lenet.caffemodel, read with the model package's CaffeReader.
 */
class LeNetCompilerParityTest {

    private static final Path DIR = Path.of("../shared/fixtures/caffe-lenet");
    private static Graph graph;
    private static JsonNode table;

    @BeforeAll
    static void load() throws Exception {
        graph = new CaffeReader().read(DIR.resolve("lenet.prototxt"), DIR.resolve("lenet.caffemodel"));
        table = new ObjectMapper().readTree(DIR.resolve("lenet.int8.json").toFile());
    }

    private static float[] blob(String layer, String role) {
        return graph.tensor(graph.layer(layer).orElseThrow().weights().get(role)).weights().toArray();
    }

    static float scale(String key) {
        return (float) table.get(key).get("scale").asDouble(); // the compiler reads with GetFloat()
    }

    /** conv1 (image input), conv2, ip1 (+relu1, So = relu1), ip2 (Si = relu1's tensor). */
    static List<ConvLayerInput> layers() {
        return List.of(
                layer("conv1", 20, 1, false, "data", "conv1", true),
                layer("conv2", 50, 20, false, "pool1", "conv2", false),
                layer("ip1", 500, 800, true, "pool2", "relu1", false),
                layer("ip2", 10, 500, false, "relu1", "ip2", false));
    }

    static ConvLayerInput layer(String name, int k, int c, boolean relu, String in, String out, boolean image) {
        float[] w = blob(name, "weight");
        float[] b = blob(name, "bias");
        int per = w.length / k;
        float[][] filters = new float[k][];
        for (int i = 0; i < k; i++) {
            filters[i] = java.util.Arrays.copyOfRange(w, i * per, (i + 1) * per);
        }
        return new ConvLayerInput(name, filters, c, b, null, null, relu, scale(in), scale(out), image);
    }

    static List<LayerRequant> plan(PlanOptions options) {
        return layers().stream().map(l -> ConvRequantizer.plan(l, options)).toList();
    }

    @Test
    void perKernelOutputConvertersMatchTheLoadable() {
        List<LayerRequant> plan = plan(PlanOptions.compiler(WeightScope.PER_KERNEL));
        int[][] expected = {{16557, 23}, {16846, 26}, {30309, 25}, {20972, 25}};
        for (int i = 0; i < 4; i++) {
            LayerRequant r = plan.get(i);
            assertFalse(r.rejected(), r::explain);
            SdpProgram p = r.program();
            assertEquals(new CvtProgram(expected[i][0], expected[i][1], 0), p.outCvt(), r.layer());
            assertEquals(XOpType.ADD, p.x1().type(), r.layer());
            assertEquals(OperandSource.MEMORY_PER_CHANNEL, p.x1().source());
            assertEquals(0, p.x1().aluShift(), r.layer()); // shift_value 0
            assertEquals(0, p.x1().mulShift(), r.layer());
            assertNull(p.x2());
            assertEquals(ConvCoreProgram.COMPILER, p.convCore()); // in_cvt {1,0,enabled,0}, CACC truncate 0
            assertEquals(r.layer().equals("ip1"), p.x1().relu(), r.layer()); // relu1 merged into ip1
        }
    }

    @Test
    void perKernelConv2IntermediatesMatchTheLoadable() {
        LayerRequant conv2 = plan(PlanOptions.compiler(WeightScope.PER_KERNEL)).get(1);
        assertEquals(0.0012268326f, conv2.weightScales()[0]); // absmax 0.15580775 / 127
        assertEquals(0.013724618f, conv2.inputScale());
        assertEquals(0.067074329f, conv2.outputScale());
        assertEquals(2.5103209e-4, conv2.idealFactors()[0], 1e-11);
        assertEquals(1585, conv2.aluOperand().values16()[0]); // 0.026692284 / 1.6837808e-5
        assertEquals(0, conv2.aluOperand().shift());
    }

    @Test
    void perFilterUsesX1BothWithSharedTruncate() {
        List<LayerRequant> plan = plan(PlanOptions.compiler(WeightScope.PER_FILTER));
        int[] truncates = {23, 26, 25, 25};
        for (int i = 0; i < 4; i++) {
            LayerRequant r = plan.get(i);
            assertFalse(r.rejected(), r::explain);
            SdpProgram p = r.program();
            assertEquals(XOpType.BOTH, p.x1().type(), r.layer());
            assertEquals(truncates[i], p.x1().mulShift(), r.layer());
            assertEquals(CvtProgram.IDENTITY, p.outCvt(), r.layer());
            assertEquals(ConvCoreProgram.COMPILER, p.convCore());
        }
        int[] firstFour = java.util.Arrays.copyOf(plan.get(1).program().x1().mulOperands(), 4);
        assertArrayEquals(new int[] {13581, 11813, 14708, 11613}, firstFour);
    }

    @Test
    void imageInputPadsConv1ChannelsToFour() {
        LayerRequant conv1 = plan(PlanOptions.compiler(WeightScope.PER_KERNEL)).get(0);
        assertEquals(4, conv1.paddedInputChannels());
        assertEquals(4 * 25, conv1.weights()[0].length);
        for (int j = 25; j < 100; j++) {
            assertEquals(0, conv1.weights()[0][j]);
        }
    }

    @Test
    void preciseIsNeverWorseThanCompilerOnLeNet() {
        for (WeightScope scope : WeightScope.values()) {
            List<LayerRequant> compiler = plan(PlanOptions.compiler(scope));
            List<LayerRequant> precise = plan(PlanOptions.precise(scope));
            for (int i = 0; i < 4; i++) {
                double c = compiler.get(i).worstRelativeError();
                double p = precise.get(i).worstRelativeError();
                assertTrue(p <= c, scope + " " + compiler.get(i).layer() + ": precise " + p + " > compiler " + c);
                assertTrue(p <= Math.scalb(1.0, -15), precise.get(i)::explain);
            }
        }
    }

    @Test
    void explainNamesScalesFactorsAndRegisters() {
        String text = plan(PlanOptions.compiler(WeightScope.PER_KERNEL)).get(1).explain();
        assertTrue(text.contains("Si = 0.013724618"), text);
        assertTrue(text.contains("16846 * 2^-26"), text);
        assertTrue(text.contains("out_cvt 16846 >> 26"), text);
        assertTrue(text.contains("D_CVT_SCALE 16846, D_CVT_SHIFT 26"), text);
        assertFalse(text.contains("\r"));
    }
}
