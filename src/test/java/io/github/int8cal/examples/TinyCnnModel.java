package io.github.int8cal.examples;

import com.google.protobuf.ByteString;
import io.github.int8cal.model.onnx.proto.OnnxProto.GraphProto;
import io.github.int8cal.model.onnx.proto.OnnxProto.ModelProto;
import io.github.int8cal.model.onnx.proto.OnnxProto.NodeProto;
import io.github.int8cal.model.onnx.proto.OnnxProto.OperatorSetIdProto;
import io.github.int8cal.model.onnx.proto.OnnxProto.TensorProto;
import io.github.int8cal.model.onnx.proto.OnnxProto.TensorShapeProto;
import io.github.int8cal.model.onnx.proto.OnnxProto.TypeProto;
import io.github.int8cal.model.onnx.proto.OnnxProto.ValueInfoProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Locale;

/**
 * The example {@code examples/tiny-cnn-model}: a small ONNX CNN made here, with statistics that
 * cover its range by construction and statistics that understate its second convolution:
 * <pre>
 *   x [1,3,8,8] -conv1 (3x3, pad 1, 8 filters)-> c1 -relu1-> r1 -conv2 (3x3, pad 1, 8 filters)-> c2 -relu2-> y
 * </pre>
 * Weights follow a fixed formula (no random generator). The statistics bound each tensor by
 * interval arithmetic for |x| <= 1: |conv out| <= max over filters of (sum |w| * input bound + |b|),
 * so max calibration clips nothing; {@link #understatedStatistics} divides c2's and y's bound by 32.
 * {@code TinyCnnModelTest} fails when the committed files differ and rewrites them with
 * {@code -Dnvdla-int8.regenerate=true}.
 */
public final class TinyCnnModel {

    static final int C = 8;

    private TinyCnnModel() {
    }

    static float weight(int layer, int k, int i) {
        return ((i * 37 + k * 11 + layer * 5) % 19 - 9) / (layer == 1 ? 30f : 60f);
    }

    static float bias(int layer, int k) {
        return ((k * 7 + layer) % 5 - 2) / 50f;
    }

    public static byte[] bytes() {
        GraphProto.Builder g = GraphProto.newBuilder().setName("tiny_cnn");
        g.addInput(ValueInfoProto.newBuilder().setName("x").setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(1).setShape(TensorShapeProto.newBuilder()
                        .addDim(dim(1)).addDim(dim(3)).addDim(dim(8)).addDim(dim(8))))));
        g.addOutput(ValueInfoProto.newBuilder().setName("y"));
        conv(g, 1, 3, "x", "c1");
        g.addNode(NodeProto.newBuilder().setOpType("Relu").setName("relu1").addInput("c1").addOutput("r1"));
        conv(g, 2, C, "r1", "c2");
        g.addNode(NodeProto.newBuilder().setOpType("Relu").setName("relu2").addInput("c2").addOutput("y"));
        return ModelProto.newBuilder().setIrVersion(7).setProducerName("nvdla-int8-maven-plugin examples")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(13))
                .setGraph(g).build().toByteArray();
    }

    private static void conv(GraphProto.Builder g, int layer, int in, String input, String output) {
        ByteBuffer w = ByteBuffer.allocate(C * in * 9 * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int k = 0; k < C; k++) {
            for (int i = 0; i < in * 9; i++) {
                w.putFloat(weight(layer, k, i));
            }
        }
        ByteBuffer b = ByteBuffer.allocate(C * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int k = 0; k < C; k++) {
            b.putFloat(bias(layer, k));
        }
        String n = "conv" + layer;
        g.addInitializer(TensorProto.newBuilder().setName(n + ".w").setDataType(1).addDims(C).addDims(in).addDims(3)
                .addDims(3).setRawData(ByteString.copyFrom(w.array())));
        g.addInitializer(TensorProto.newBuilder().setName(n + ".b").setDataType(1).addDims(C)
                .setRawData(ByteString.copyFrom(b.array())));
        g.addNode(NodeProto.newBuilder().setOpType("Conv").setName(n).addInput(input).addInput(n + ".w")
                .addInput(n + ".b").addOutput(output)
                .addAttribute(io.github.int8cal.model.onnx.proto.OnnxProto.AttributeProto.newBuilder()
                        .setName("pads").setType(io.github.int8cal.model.onnx.proto.OnnxProto.AttributeProto
                                .AttributeType.INTS).addInts(1).addInts(1).addInts(1).addInts(1)));
    }

    /** max over filters of (sum |w| * inputBound + |b|), in double. */
    static double bound(int layer, int in, double inputBound) {
        double worst = 0;
        for (int k = 0; k < C; k++) {
            double s = Math.abs(bias(layer, k));
            for (int i = 0; i < in * 9; i++) {
                s += Math.abs(weight(layer, k, i)) * inputBound;
            }
            worst = Math.max(worst, s);
        }
        return worst;
    }

    public static String statistics() {
        return statistics(1);
    }

    /** c2 and y claim 1/32 of their range. */
    public static String understatedStatistics() {
        return statistics(32);
    }

    private static String statistics(double divide2) {
        double b1 = bound(1, 3, 1.0);
        double b2 = bound(2, C, b1) / divide2;
        return String.format(Locale.ROOT, """
                {"format": "nvdla-int8-statistics", "version": 1,
                 "tensors": [
                  {"name": "x", "min": -1.0, "max": 1.0},
                  {"name": "c1", "min": %.6f, "max": %.6f},
                  {"name": "r1", "min": 0.0, "max": %.6f},
                  {"name": "c2", "min": %.6f, "max": %.6f},
                  {"name": "y", "min": 0.0, "max": %.6f}
                 ]}
                """, -b1, b1, b1, -b2, b2, b2);
    }

    private static TensorShapeProto.Dimension dim(long v) {
        return TensorShapeProto.Dimension.newBuilder().setDimValue(v).build();
    }
}
