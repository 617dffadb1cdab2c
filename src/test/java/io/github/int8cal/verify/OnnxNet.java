package io.github.int8cal.verify;

import com.google.protobuf.ByteString;
import io.github.int8cal.model.onnx.proto.OnnxProto.AttributeProto;
import io.github.int8cal.model.onnx.proto.OnnxProto.GraphProto;
import io.github.int8cal.model.onnx.proto.OnnxProto.ModelProto;
import io.github.int8cal.model.onnx.proto.OnnxProto.NodeProto;
import io.github.int8cal.model.onnx.proto.OnnxProto.OperatorSetIdProto;
import io.github.int8cal.model.onnx.proto.OnnxProto.TensorProto;
import io.github.int8cal.model.onnx.proto.OnnxProto.TensorShapeProto;
import io.github.int8cal.model.onnx.proto.OnnxProto.TypeProto;
import io.github.int8cal.model.onnx.proto.OnnxProto.ValueInfoProto;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;

/**
 * ONNX networks built in test code (as OnnxReaderTest does) with seeded, realistically scaled
 * weights: He-normal convolution weights, BN statistics near identity.
 */
public final class OnnxNet {

    private final GraphProto.Builder graph = GraphProto.newBuilder().setName("net");
    private final SplittableRandom random;
    private final List<String> outputs = new ArrayList<>();
    private int opset = 13;

    public OnnxNet(long seed) {
        this.random = new SplittableRandom(seed);
    }

    public OnnxNet opset(int v) {
        opset = v;
        return this;
    }

    public OnnxNet input(String name, long... dims) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        for (long d : dims) {
            s.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        graph.addInput(ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(1).setShape(s))));
        return this;
    }

    /** A graph output (float, shape left to inference). */
    public OnnxNet output(String name) {
        outputs.add(name);
        graph.addOutput(ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(1))));
        return this;
    }

    public OnnxNet floats(String name, long[] dims, float[] values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        graph.addInitializer(TensorProto.newBuilder().setName(name).setDataType(1)
                .addAllDims(Arrays.stream(dims).boxed().toList()).setRawData(ByteString.copyFrom(b.array())));
        return this;
    }

    OnnxNet int64s(String name, long... values) {
        graph.addInitializer(TensorProto.newBuilder().setName(name).setDataType(7).addDims(values.length)
                .addAllInt64Data(Arrays.stream(values).boxed().toList()));
        return this;
    }

    public float[] gaussian(int n, double std) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (gaussian() * std);
        }
        return v;
    }

    public float[] uniform(int n, double lo, double hi) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) (lo + (hi - lo) * random.nextDouble());
        }
        return v;
    }

    private double gaussian() {
        // Box-Muller on the seeded generator (deterministic across JDKs, unlike Random.nextGaussian's caching)
        double u = 1.0 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    /** Conv with He-normal weights and a small bias. */
    public OnnxNet conv(String name, String in, String out, int inC, int outC, int k, int stride, int pad, int dilation,
            int group, boolean bias) {
        int fanIn = inC / group * k * k;
        floats(name + ".w", new long[] {outC, inC / group, k, k}, gaussian(outC * fanIn, Math.sqrt(2.0 / fanIn)));
        List<String> ins = new ArrayList<>(List.of(in, name + ".w"));
        if (bias) {
            floats(name + ".b", new long[] {outC}, uniform(outC, -0.1, 0.1));
            ins.add(name + ".b");
        }
        return node("Conv", name, ins, List.of(out), ints("kernel_shape", k, k), ints("strides", stride, stride),
                ints("pads", pad, pad, pad, pad), ints("dilations", dilation, dilation), i("group", group));
    }

    public OnnxNet batchNorm(String name, String in, String out, int c) {
        return batchNorm(name, in, out, c, 0.5, 1.5);
    }

    /** BN with gamma uniform in [gammaLo, gammaHi], beta in +-0.2, mean in +-0.3, variance in [0.5, 2]. */
    public OnnxNet batchNorm(String name, String in, String out, int c, double gammaLo, double gammaHi) {
        floats(name + ".scale", new long[] {c}, uniform(c, gammaLo, gammaHi));
        floats(name + ".bias", new long[] {c}, uniform(c, -0.2, 0.2));
        floats(name + ".mean", new long[] {c}, uniform(c, -0.3, 0.3));
        floats(name + ".var", new long[] {c}, uniform(c, 0.5, 2.0));
        return node("BatchNormalization", name, List.of(in, name + ".scale", name + ".bias", name + ".mean",
                name + ".var"), List.of(out), f("epsilon", 1e-5f));
    }

    public OnnxNet gemm(String name, String in, String out, int k, int n) {
        floats(name + ".w", new long[] {n, k}, gaussian(n * k, Math.sqrt(1.0 / k)));
        floats(name + ".b", new long[] {n}, uniform(n, -0.1, 0.1));
        return node("Gemm", name, List.of(in, name + ".w", name + ".b"), List.of(out), i("transB", 1));
    }

    public OnnxNet node(String op, String name, List<String> inputs, List<String> outputs, AttributeProto... attrs) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(name).addAllInput(inputs)
                .addAllOutput(outputs);
        for (AttributeProto a : attrs) {
            n.addAttribute(a);
        }
        graph.addNode(n);
        return this;
    }

    public static AttributeProto ints(String name, long... v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS)
                .addAllInts(Arrays.stream(v).boxed().toList()).build();
    }

    public static AttributeProto i(String name, long v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(v).build();
    }

    public static AttributeProto f(String name, float v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(v).build();
    }

    public List<String> outputs() {
        return outputs;
    }

    public ModelProto build() {
        return ModelProto.newBuilder().setIrVersion(8).setProducerName("int8cal-verify-test")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset)).setGraph(graph)
                .build();
    }

    public Path write(Path dir, String fileName) throws IOException {
        Path p = dir.resolve(fileName);
        Files.write(p, build().toByteArray());
        return p;
    }
}
