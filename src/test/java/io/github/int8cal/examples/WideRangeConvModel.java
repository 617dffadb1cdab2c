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
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A tiny ONNX network (ours, made here) whose one convolution has filters of very different
 * magnitude, so that per-filter requantization factors span 2^13 and the channels with small
 * factors lose most of their multiplier bits under the shift the layer shares:
 * <pre>
 *   x [1,2,4,4] -wide_conv (1x1, 4 filters, bias)-> c -Relu relu-> y
 * </pre>
 * Filter k holds {@code ±MAGNITUDES[k]} (max |w| of filter k = MAGNITUDES[k]); the bias is 0.01 per
 * channel. Committed as {@code src/it/lost-bits-warning/model.onnx}; {@code WideRangeConvModelTest}
 * fails when the committed file differs and rewrites it with {@code -Dnvdla-int8.regenerate=true}.
 */
public final class WideRangeConvModel {

    public static final String CONV = "wide_conv";
    /** max |w| per filter: 1, 2^-4, 2^-8, 2^-13 (exact in float32). */
    public static final float[] MAGNITUDES = {1f, 0.0625f, 0.00390625f, 0.0001220703125f};

    private WideRangeConvModel() {
    }

    public static byte[] bytes() {
        GraphProto.Builder g = GraphProto.newBuilder().setName("wide_range_conv");
        g.addInput(ValueInfoProto.newBuilder().setName("x").setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(1).setShape(TensorShapeProto.newBuilder()
                        .addDim(dim(1)).addDim(dim(2)).addDim(dim(4)).addDim(dim(4))))));
        g.addOutput(ValueInfoProto.newBuilder().setName("y"));
        int out = MAGNITUDES.length;
        int in = 2;
        ByteBuffer w = ByteBuffer.allocate(out * in * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int k = 0; k < out; k++) {
            w.putFloat(MAGNITUDES[k]);
            w.putFloat(-MAGNITUDES[k] / 2);
        }
        g.addInitializer(TensorProto.newBuilder().setName("w").setDataType(1).addDims(out).addDims(in).addDims(1)
                .addDims(1).setRawData(ByteString.copyFrom(w.array())));
        ByteBuffer b = ByteBuffer.allocate(out * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (int k = 0; k < out; k++) {
            b.putFloat(0.01f);
        }
        g.addInitializer(TensorProto.newBuilder().setName("b").setDataType(1).addDims(out)
                .setRawData(ByteString.copyFrom(b.array())));
        g.addNode(NodeProto.newBuilder().setOpType("Conv").setName(CONV).addInput("x").addInput("w").addInput("b")
                .addOutput("c"));
        g.addNode(NodeProto.newBuilder().setOpType("Relu").setName("relu").addInput("c").addOutput("y"));
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
}
