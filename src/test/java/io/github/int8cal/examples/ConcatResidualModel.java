package io.github.int8cal.examples;

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
import java.util.List;

/**
 * A tiny ONNX network (ours, made here) where NVDLA must share scales: a Concat joins two
 * convolution outputs, and a residual Add sums two others.
 * <pre>
 *   x [1,2,4,4] -conv_a-> a -+
 *               -conv_b-> b -+-Concat cat-> cat -conv_c-> c -+
 *                                               -conv_d-> d -+-Add add-> res -MaxPool pool-> y
 * </pre>
 * Unification groups: {a, b, cat} (Concat), {c, d} (Add inputs), {res, y} (pooling).
 * Committed as {@code src/it/onnx-model/model.onnx}; {@code ConcatResidualModelTest} fails when the
 * committed file differs and rewrites it when run with {@code -Dnvdla-int8.regenerate=true}.
 */
public final class ConcatResidualModel {

    /** Activation tensors in graph order. */
    public static final List<String> TENSORS = List.of("x", "a", "b", "cat", "c", "d", "res", "y");

    private ConcatResidualModel() {
    }

    public static byte[] bytes() {
        GraphProto.Builder g = GraphProto.newBuilder().setName("concat_residual");
        g.addInput(ValueInfoProto.newBuilder().setName("x").setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(1).setShape(TensorShapeProto.newBuilder()
                        .addDim(dim(1)).addDim(dim(2)).addDim(dim(4)).addDim(dim(4))))));
        g.addOutput(ValueInfoProto.newBuilder().setName("y"));
        weights(g, "wa", 2, 2);
        weights(g, "wb", 2, 2);
        weights(g, "wc", 4, 4);
        weights(g, "wd", 4, 4);
        conv(g, "conv_a", "x", "wa", "a");
        conv(g, "conv_b", "x", "wb", "b");
        g.addNode(NodeProto.newBuilder().setOpType("Concat").setName("cat").addInput("a").addInput("b").addOutput("cat")
                .addAttribute(AttributeProto.newBuilder().setName("axis").setType(AttributeProto.AttributeType.INT)
                        .setI(1)));
        conv(g, "conv_c", "cat", "wc", "c");
        conv(g, "conv_d", "cat", "wd", "d");
        g.addNode(NodeProto.newBuilder().setOpType("Add").setName("add").addInput("c").addInput("d").addOutput("res"));
        g.addNode(NodeProto.newBuilder().setOpType("MaxPool").setName("pool").addInput("res").addOutput("y")
                .addAttribute(AttributeProto.newBuilder().setName("kernel_shape")
                        .setType(AttributeProto.AttributeType.INTS).addInts(2).addInts(2))
                .addAttribute(AttributeProto.newBuilder().setName("strides")
                        .setType(AttributeProto.AttributeType.INTS).addInts(2).addInts(2)));
        return ModelProto.newBuilder().setIrVersion(7).setProducerName("nvdla-int8-maven-plugin tests")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(13))
                .setGraph(g).build().toByteArray();
    }

    public static Path write(Path file) throws IOException {
        Files.write(file, bytes());
        return file;
    }

    private static TensorShapeProto.Dimension dim(long v) {
        return TensorShapeProto.Dimension.newBuilder().setDimValue(v).build();
    }

    /** 1x1 convolution weights [out, in, 1, 1], values -0.125, 0, 0.125 repeating (calibration only needs the shapes). */
    private static void weights(GraphProto.Builder g, String name, int out, int in) {
        ByteBuffer b = ByteBuffer.allocate(out * in * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < out * in; i++) {
            b.putFloat(0.125f * (i % 3 - 1));
        }
        g.addInitializer(TensorProto.newBuilder().setName(name).setDataType(1).addDims(out).addDims(in).addDims(1)
                .addDims(1).setRawData(ByteString.copyFrom(b.array())));
    }

    private static void conv(GraphProto.Builder g, String name, String in, String w, String out) {
        g.addNode(NodeProto.newBuilder().setOpType("Conv").setName(name).addInput(in).addInput(w).addOutput(out));
    }
}
