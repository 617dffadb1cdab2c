package io.github.int8cal.model.onnx;

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
import java.util.Arrays;

/** Small ONNX models built in test code with the generated classes. */
final class OnnxModels {

    private final GraphProto.Builder graph = GraphProto.newBuilder().setName("test");
    private int opset = 13;

    OnnxModels opset(int version) {
        this.opset = version;
        return this;
    }

    OnnxModels input(String name, Object... dims) {
        TensorShapeProto.Builder s = TensorShapeProto.newBuilder();
        for (Object d : dims) {
            if (d instanceof String p) {
                s.addDim(TensorShapeProto.Dimension.newBuilder().setDimParam(p));
            } else {
                s.addDim(TensorShapeProto.Dimension.newBuilder().setDimValue(((Number) d).longValue()));
            }
        }
        graph.addInput(ValueInfoProto.newBuilder().setName(name).setType(TypeProto.newBuilder()
                .setTensorType(TypeProto.Tensor.newBuilder().setElemType(1).setShape(s))));
        return this;
    }

    OnnxModels output(String name) {
        graph.addOutput(ValueInfoProto.newBuilder().setName(name));
        return this;
    }

    /** A float initializer in raw_data (little-endian), as exporters write it. */
    OnnxModels floats(String name, long[] dims, float... values) {
        ByteBuffer b = ByteBuffer.allocate(values.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        for (float v : values) {
            b.putFloat(v);
        }
        graph.addInitializer(TensorProto.newBuilder().setName(name).setDataType(1)
                .addAllDims(Arrays.stream(dims).boxed().toList()).setRawData(ByteString.copyFrom(b.array())));
        return this;
    }

    /** A float initializer in float_data (the other legal encoding). */
    OnnxModels floatData(String name, long[] dims, float... values) {
        TensorProto.Builder t = TensorProto.newBuilder().setName(name).setDataType(1)
                .addAllDims(Arrays.stream(dims).boxed().toList());
        for (float v : values) {
            t.addFloatData(v);
        }
        graph.addInitializer(t);
        return this;
    }

    /** Filled with 0.01 * index, enough to check layouts. */
    OnnxModels ramp(String name, long... dims) {
        int n = (int) Arrays.stream(dims).reduce(1, (x, y) -> x * y);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = 0.01f * i;
        }
        return floats(name, dims, v);
    }

    OnnxModels int64s(String name, long... values) {
        graph.addInitializer(TensorProto.newBuilder().setName(name).setDataType(7).addDims(values.length)
                .addAllInt64Data(Arrays.stream(values).boxed().toList()));
        return this;
    }

    OnnxModels initializer(TensorProto t) {
        graph.addInitializer(t);
        return this;
    }

    OnnxModels node(String op, String name, String[] inputs, String[] outputs, AttributeProto... attrs) {
        NodeProto.Builder n = NodeProto.newBuilder().setOpType(op).setName(name)
                .addAllInput(Arrays.asList(inputs)).addAllOutput(Arrays.asList(outputs));
        for (AttributeProto a : attrs) {
            n.addAttribute(a);
        }
        graph.addNode(n);
        return this;
    }

    OnnxModels node(NodeProto n) {
        graph.addNode(n);
        return this;
    }

    static String[] in(String... names) {
        return names;
    }

    static AttributeProto ints(String name, long... v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS)
                .addAllInts(Arrays.stream(v).boxed().toList()).build();
    }

    static AttributeProto i(String name, long v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INT).setI(v).build();
    }

    static AttributeProto f(String name, float v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.FLOAT).setF(v).build();
    }

    static AttributeProto s(String name, String v) {
        return AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.STRING)
                .setS(ByteString.copyFromUtf8(v)).build();
    }

    ModelProto build() {
        return ModelProto.newBuilder().setIrVersion(7).setProducerName("int8cal-test")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(opset))
                .setGraph(graph).build();
    }

    Path write(Path dir, String fileName) throws IOException {
        Path p = dir.resolve(fileName);
        Files.write(p, build().toByteArray());
        return p;
    }
}
