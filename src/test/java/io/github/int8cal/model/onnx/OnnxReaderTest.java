package io.github.int8cal.model.onnx;

import static io.github.int8cal.model.onnx.OnnxModels.f;
import static io.github.int8cal.model.onnx.OnnxModels.i;
import static io.github.int8cal.model.onnx.OnnxModels.in;
import static io.github.int8cal.model.onnx.OnnxModels.ints;
import static io.github.int8cal.model.onnx.OnnxModels.s;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.int8cal.model.Graph;
import io.github.int8cal.model.Layer;
import io.github.int8cal.model.Op;
import io.github.int8cal.model.Shape;
import io.github.int8cal.model.Weights;
import io.github.int8cal.model.onnx.proto.OnnxProto.StringStringEntryProto;
import io.github.int8cal.model.onnx.proto.OnnxProto.TensorProto;
import io.github.int8cal.problems.ProblemException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class OnnxReaderTest {

    @TempDir
    Path dir;

    /** One model with every supported op; expected shapes are hand-computed in the comments. */
    static OnnxModels everyOp() {
        return new OnnxModels()
                .input("x", "batch", 3, 32, 32).output("out")
                .ramp("w1", 8, 3, 3, 3).ramp("b1", 8)
                // (32 + 1 + 1 - 3) / 2 + 1 = 16
                .node("Conv", "c1", in("x", "w1", "b1"), in("c1"), ints("pads", 1, 1, 1, 1), ints("strides", 2, 2))
                .ramp("g", 8).ramp("be", 8).floatData("mu", new long[] {8}, 0, 1, 2, 3, 4, 5, 6, 7).ramp("var", 8)
                .node("BatchNormalization", "bn", in("c1", "g", "be", "mu", "var"), in("bn"), f("epsilon", 1e-3f))
                .node("Relu", "r1", in("bn"), in("r1"))
                // ceil((16 - 3) / 2) + 1 = 8 (floor mode would give 7)
                .node("MaxPool", "mp", in("r1"), in("mp"), ints("kernel_shape", 3, 3), ints("strides", 2, 2),
                        i("ceil_mode", 1))
                // SAME_UPPER, dilation 2, kernel 3: total pad (8-1)*1 + (3-1)*2 + 1 - 8 = 4 -> 2 + 2
                .ramp("w2", 8, 4, 3, 3)
                .node("Conv", "c2", in("mp", "w2"), in("c2"), s("auto_pad", "SAME_UPPER"), i("group", 2),
                        ints("dilations", 2, 2))
                .ramp("addc", 8, 1, 1)
                .node("Add", "add_c", in("c2", "addc"), in("add_c"))
                .floats("half", new long[] {}, 0.5f)
                .node("Mul", "mul_c", in("add_c", "half"), in("mul_c"))
                .floats("zero", new long[] {}, 0f).floats("six", new long[] {}, 6f)
                .node("Clip", "relu6", in("mul_c", "zero", "six"), in("relu6"))
                .ramp("slope", 8, 1, 1)
                .node("PRelu", "prelu", in("relu6", "slope"), in("prelu"))
                .floats("subc", new long[] {1, 8, 1, 1}, 1, 2, 3, 4, 5, 6, 7, 8)
                .node("Sub", "sub_c", in("prelu", "subc"), in("sub_c"))
                .floats("two", new long[] {}, 2f)
                .node("Div", "div_c", in("sub_c", "two"), in("div_c"))
                // ceil((8 + 1 + 1 - 2) / 2) + 1 = 5; last window starts at 8 < 8 + 1, kept
                .node("AveragePool", "ap", in("div_c"), in("ap"), ints("kernel_shape", 2, 2), ints("strides", 2, 2),
                        ints("pads", 1, 1, 1, 1), i("ceil_mode", 1), i("count_include_pad", 1))
                .ramp("w3", 4, 8, 1, 1)
                .node("Conv", "c3", in("ap", "w3"), in("c3"))
                .node("Concat", "cat", in("ap", "c3"), in("cat"), i("axis", 1))
                .ramp("w4", 12, 12, 1, 1)
                .node("Conv", "c4", in("cat", "w4"), in("c4"))
                .node("Add", "res", in("cat", "c4"), in("res"))
                .node("Sum", "sum3", in("res", "cat", "c4"), in("sum3"))
                .node("Max", "mx", in("sum3", "res"), in("mx"))
                .node("GlobalAveragePool", "gap", in("mx"), in("gap"))
                .node("Flatten", "fl", in("gap"), in("fl"), i("axis", 1))
                .ramp("fcB", 12, 6).ramp("fcC", 6)
                .node("Gemm", "fc", in("fl", "fcB", "fcC"), in("fc"), f("alpha", 2f), f("beta", 0.5f))
                .node("LeakyRelu", "lrelu", in("fc"), in("lrelu"), f("alpha", 0.1f))
                .ramp("mmB", 6, 4)
                .node("MatMul", "mm", in("lrelu", "mmB"), in("mm"))
                .int64s("newshape", 0, 2, -1)
                .node("Reshape", "rs", in("mm", "newshape"), in("rs"))
                .node("Softmax", "sm", in("rs"), in("sm"))
                .node("Dropout", "drop", in("sm"), in("drop", "mask"))
                .node("Identity", "id", in("drop"), in("out"));
    }

    @Test
    void readsEverySupportedOpWithInferredShapes() throws Exception {
        Graph g = new OnnxReader().read(everyOp().write(dir, "every-op.onnx"));
        assertEquals(List.of(Op.CONVOLUTION, Op.BATCH_NORM, Op.RELU, Op.POOLING, Op.CONVOLUTION, Op.BIAS, Op.SCALE,
                Op.CLIP, Op.PRELU, Op.BIAS, Op.SCALE, Op.POOLING, Op.CONVOLUTION, Op.CONCAT, Op.CONVOLUTION, Op.ELTWISE,
                Op.ELTWISE, Op.ELTWISE, Op.POOLING, Op.FLATTEN, Op.INNER_PRODUCT, Op.RELU, Op.INNER_PRODUCT, Op.RESHAPE,
                Op.SOFTMAX, Op.DROPOUT, Op.DROPOUT), g.layers().stream().map(Layer::op).toList());
        assertEquals(List.of("x"), g.inputs());
        assertEquals(List.of("out"), g.outputs());
        assertTrue(g.warnings().get(0).contains("batch"), g.warnings().toString());

        assertEquals(Shape.of(1, 3, 32, 32), g.tensor("x").shape());
        assertEquals(Shape.of(1, 8, 16, 16), g.tensor("c1").shape());
        assertEquals(Shape.of(1, 8, 8, 8), g.tensor("mp").shape());
        assertEquals(Shape.of(1, 8, 8, 8), g.tensor("c2").shape());
        assertEquals(Shape.of(1, 8, 5, 5), g.tensor("ap").shape());
        assertEquals(Shape.of(1, 12, 5, 5), g.tensor("cat").shape());
        assertEquals(Shape.of(1, 12, 5, 5), g.tensor("mx").shape());
        assertEquals(Shape.of(1, 12, 1, 1), g.tensor("gap").shape());
        assertEquals(Shape.of(1, 12), g.tensor("fl").shape());
        assertEquals(Shape.of(1, 6), g.tensor("fc").shape());
        assertEquals(Shape.of(1, 4), g.tensor("mm").shape());
        assertEquals(Shape.of(1, 2, 2), g.tensor("rs").shape());
        assertEquals(Shape.of(1, 2, 2), g.tensor("out").shape());
    }

    @Test
    void keepsAttributesInCanonicalForm() throws Exception {
        Graph g = new OnnxReader().read(everyOp().write(dir, "every-op.onnx"));
        Layer c2 = g.layer("c2").orElseThrow();
        assertEquals(List.of(2L, 2L, 2L, 2L), c2.attributes().getLongs("pads"));
        assertEquals(2L, c2.attributes().getLong("group", 0));
        assertEquals(List.of(2L, 2L), c2.attributes().getLongs("dilation"));
        Layer mp = g.layer("mp").orElseThrow();
        assertEquals("MAX", mp.attributes().getString("method", ""));
        assertTrue(mp.attributes().getBoolean("ceil_mode", false));
        Layer clip = g.layer("relu6").orElseThrow();
        assertEquals(0.0, clip.attributes().getDouble("min", -1));
        assertEquals(6.0, clip.attributes().getDouble("max", -1));
        assertEquals(0.1f, (float) g.layer("lrelu").orElseThrow().attributes().getDouble("negative_slope", 0));
        assertEquals("MAX", g.layer("mx").orElseThrow().attributes().getString("operation", ""));
        assertEquals(List.of("res", "cat", "c4"), g.layer("sum3").orElseThrow().inputs());
        assertEquals(1e-3f, (float) g.layer("bn").orElseThrow().attributes().getDouble("epsilon", 0));
        assertEquals(-1L, g.layer("sm").orElseThrow().attributes().getLong("axis", 0)); // opset 13 default
    }

    @Test
    void convertsWeightsToCanonicalLayouts() throws Exception {
        Graph g = new OnnxReader().read(everyOp().write(dir, "every-op.onnx"));
        // Gemm B [K=12, N=6] (transB 0) becomes [N, K], multiplied by alpha 2; C is multiplied by beta 0.5
        Layer fc = g.layer("fc").orElseThrow();
        assertEquals(Shape.of(6, 12), g.tensor(fc.weights().get("weight")).shape());
        Weights w = g.tensor(fc.weights().get("weight")).weights();
        assertEquals(0.01f * (2 * 6 + 1) * 2f, w.get(1 * 12 + 2)); // n=1, k=2 was B[2][1] = 0.01*13
        assertEquals(0.01f * 5 * 0.5f, g.tensor(fc.weights().get("bias")).weights().get(5));
        // MatMul B [6, 4] becomes [4, 6]
        Layer mm = g.layer("mm").orElseThrow();
        assertEquals(Shape.of(4, 6), g.tensor(mm.weights().get("weight")).shape());
        assertEquals(0.01f * (5 * 4 + 3), g.tensor(mm.weights().get("weight")).weights().get(3 * 6 + 5));
        // Sub by [1,8,1,1] is a Bias of the negated values; Div by 2 a Scale of 0.5
        Weights sub = g.tensor(g.layer("sub_c").orElseThrow().weights().get("bias")).weights();
        assertEquals(-1f, sub.get(0));
        assertEquals(-8f, sub.get(7));
        assertEquals(0.5f, g.tensor(g.layer("div_c").orElseThrow().weights().get("scale")).weights().get(0));
        // per-channel constant [8,1,1] stored as [8]; scalar as [1]
        assertEquals(Shape.of(8), g.tensor(g.layer("add_c").orElseThrow().weights().get("bias")).shape());
        assertEquals(Shape.of(1), g.tensor(g.layer("mul_c").orElseThrow().weights().get("scale")).shape());
        // float_data encoding reads like raw_data
        assertEquals(7f, g.tensor(g.layer("bn").orElseThrow().weights().get("mean")).weights().get(7));
        assertEquals(Shape.of(8, 3, 3, 3), g.tensor(g.layer("c1").orElseThrow().weights().get("weight")).shape());
        assertEquals(0.01f * 7, g.tensor("b1").weights().get(7));
    }

    @Test
    void gemmWithTransposedBKeepsItsLayout() throws Exception {
        Graph g = new OnnxReader().read(new OnnxModels().input("x", 1, 3).output("y")
                .floats("B", new long[] {2, 3}, 1, 2, 3, 4, 5, 6)
                .node("Gemm", "fc", in("x", "B"), in("y"), i("transB", 1)).write(dir, "gemm.onnx"));
        Layer fc = g.layer("fc").orElseThrow();
        assertEquals(Shape.of(1, 2), g.tensor("y").shape());
        assertEquals(List.of(1f, 2f, 3f, 4f, 5f, 6f), boxed(g.tensor(fc.weights().get("weight")).weights()));
        assertTrue(fc.weights().get("bias") == null);
    }

    @Test
    void clipBeforeOpset11TakesMinAndMaxFromAttributes() throws Exception {
        Graph g = new OnnxReader().read(new OnnxModels().opset(9).input("x", 1, 4).output("y")
                .node("Clip", "c", in("x"), in("y"), f("min", 0f), f("max", 6f)).write(dir, "clip9.onnx"));
        assertEquals(6.0, g.layer("c").orElseThrow().attributes().getDouble("max", 0));
    }

    @Test
    void externalDataIsAClearError() throws Exception {
        TensorProto external = TensorProto.newBuilder().setName("w").setDataType(1).addDims(2).addDims(1)
                .addDims(1).addDims(1).setDataLocation(TensorProto.DataLocation.EXTERNAL)
                .addExternalData(StringStringEntryProto.newBuilder().setKey("location").setValue("weights.bin"))
                .build();
        Path p = new OnnxModels().input("x", 1, 1, 4, 4).output("y").initializer(external)
                .node("Conv", "conv", in("x", "w"), in("y")).write(dir, "external.onnx");
        ProblemException e = assertThrows(ProblemException.class, () -> new OnnxReader().read(p));
        assertEquals(1, e.problems().size());
        String m = e.getMessage();
        assertTrue(m.contains("'conv'") && m.contains("'w'") && m.contains("external file ('weights.bin')")
                && m.contains("save_as_external_data=False"), m);
    }

    @Test
    void unsupportedOpsAreListedTogetherWithTheirLayers() throws Exception {
        Path p = new OnnxModels().input("x", 1, 4).output("z")
                .node("Sigmoid", "sig1", in("x"), in("a"))
                .node("Relu", "ok", in("a"), in("b"))
                .node("Sigmoid", "sig2", in("b"), in("c"))
                .node("Tanh", "t", in("c"), in("d"))
                .node("Relu", "after", in("d"), in("z"))
                .write(dir, "unsupported.onnx");
        ProblemException e = assertThrows(ProblemException.class, () -> new OnnxReader().read(p));
        assertEquals(1, e.problems().size(), e.getMessage());
        String m = e.problems().get(0).message();
        assertTrue(m.startsWith("unsupported operations: Sigmoid (sig1, sig2); Tanh (t)."), m);
        assertTrue(m.contains("Supported: Conv"), m);
    }

    @Test
    void customDomainOpsAreUnsupported() throws Exception {
        Path p = new OnnxModels().input("x", 1, 4).output("y")
                .node(io.github.int8cal.model.onnx.proto.OnnxProto.NodeProto.newBuilder().setOpType("Gelu")
                        .setDomain("com.microsoft").setName("gelu").addInput("x").addOutput("y").build())
                .write(dir, "custom.onnx");
        ProblemException e = assertThrows(ProblemException.class, () -> new OnnxReader().read(p));
        assertTrue(e.getMessage().contains("com.microsoft:Gelu (gelu)"), e.getMessage());
    }

    @Test
    void shapeErrorsNameTheLayer() throws Exception {
        Path p = new OnnxModels().input("x", 1, 3, 4, 4).output("y").ramp("w", 2, 5, 3, 3)
                .node("Conv", "bad", in("x", "w"), in("y")).write(dir, "badconv.onnx");
        ProblemException e = assertThrows(ProblemException.class, () -> new OnnxReader().read(p));
        assertTrue(e.getMessage().contains("layer 'bad' (Conv)") && e.getMessage().contains("needs 5 input channels"),
                e.getMessage());
    }

    @Test
    void tooNewOpsetIsRejected() throws Exception {
        Path p = new OnnxModels().opset(99).input("x", 1, 4).output("y").node("Relu", "r", in("x"), in("y"))
                .write(dir, "opset99.onnx");
        ProblemException e = assertThrows(ProblemException.class, () -> new OnnxReader().read(p));
        assertTrue(e.getMessage().contains("opset 99 is not supported; use opset 7 to 22"), e.getMessage());
    }

    @Test
    void symbolicNonBatchDimensionIsAnError() throws Exception {
        Path p = new OnnxModels().input("x", 1, "seq").output("y").node("Relu", "r", in("x"), in("y"))
                .write(dir, "dyn.onnx");
        ProblemException e = assertThrows(ProblemException.class, () -> new OnnxReader().read(p));
        assertTrue(e.getMessage().contains("dimension 1 is not fixed ('seq')"), e.getMessage());
    }

    private static List<Float> boxed(Weights w) {
        List<Float> l = new java.util.ArrayList<>();
        for (int k = 0; k < w.length(); k++) {
            l.add(w.get(k));
        }
        return l;
    }
}
