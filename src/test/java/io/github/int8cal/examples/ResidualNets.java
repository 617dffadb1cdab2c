package io.github.int8cal.examples;

import com.google.protobuf.ByteString;
import io.github.int8cal.model.caffe.proto.CaffeProto.BlobProto;
import io.github.int8cal.model.caffe.proto.CaffeProto.BlobShape;
import io.github.int8cal.model.caffe.proto.CaffeProto.LayerParameter;
import io.github.int8cal.model.caffe.proto.CaffeProto.NetParameter;
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
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Small residual networks (ours, made here) written as a Caffe prototxt + caffemodel the way
 * nvdla_compiler takes them, and as the equivalent ONNX graph (same layers in the same order): 1x1
 * convolutions with bias and an optional in-place ReLU, two-input Eltwise SUM / Add with an optional
 * ReLU, and 3x3 stride-1 max pooling. Layers are added in the order they appear in the files.
 *
 * <p>Conv weights are deterministic: filter k holds {@code 0.5·gain} at channel k and multiples of
 * {@code gain/16} in [-0.25·gain, 0.25·gain] elsewhere, so every filter's (and the whole blob's)
 * max |w| is exactly {@code 0.5·gain}; biases are multiples of {@code 0.01·gain}.
 *
 * <p>Tensor names: a layer's top is its name. In Caffe an in-place ReLU makes the conv's own output
 * the graph tensor {@code name@name} and the ReLU's output {@code name}; in ONNX the pre-ReLU tensor
 * is {@code name_pre}. {@link #caffeScales} / {@link #onnxScales} give the pre-ReLU tensor the
 * post-ReLU scale, as a table would list both layers.
 */
public final class ResidualNets {

    private final String name;
    private final int channels;
    private final int size;
    private final List<Object> layers = new ArrayList<>();
    private final List<String> tops = new ArrayList<>();

    private record Conv(String name, String bottom, boolean relu, int seed, float gain) {
    }

    private record Sum(String name, String first, String second, boolean relu) {
    }

    private record Pool(String name, String bottom) {
    }

    /** A network with one input {@code data} of shape [1, channels, size, size]. */
    public ResidualNets(String name, int channels, int size) {
        this.name = name;
        this.channels = channels;
        this.size = size;
        tops.add("data");
    }

    public ResidualNets conv(String layer, String bottom, boolean relu, int seed) {
        return conv(layer, bottom, relu, seed, 1f);
    }

    public ResidualNets conv(String layer, String bottom, boolean relu, int seed, float gain) {
        layers.add(new Conv(layer, bottom, relu, seed, gain));
        tops.add(layer);
        return this;
    }

    /** Eltwise SUM with {@code bottom: first} then {@code bottom: second}. */
    public ResidualNets sum(String layer, String first, String second, boolean relu) {
        layers.add(new Sum(layer, first, second, relu));
        tops.add(layer);
        return this;
    }

    /** 3x3 max pooling, stride 1, pad 1 (keeps the shape). */
    public ResidualNets pool(String layer, String bottom) {
        layers.add(new Pool(layer, bottom));
        tops.add(layer);
        return this;
    }

    /** Every top (blob) name, input first, in layer order. */
    public List<String> tops() {
        return List.copyOf(tops);
    }

    /** Filter k of a conv: see the class comment. Shape [channels][channels] (1x1 kernel). */
    public static float[][] weights(int channels, int seed, float gain) {
        float[][] w = new float[channels][channels];
        for (int k = 0; k < channels; k++) {
            for (int c = 0; c < channels; c++) {
                w[k][c] = c == k ? 0.5f * gain : ((seed * 7 + k * 3 + c * 5) % 9 - 4) / 16f * gain;
            }
        }
        return w;
    }

    public static float[] bias(int channels, int seed, float gain) {
        float[] b = new float[channels];
        for (int k = 0; k < channels; k++) {
            b[k] = ((seed + k) % 5 - 2) * 0.01f * gain;
        }
        return b;
    }

    // ---- Caffe ------------------------------------------------------------------------------

    public String prototxt() {
        StringBuilder sb = new StringBuilder();
        sb.append("name: \"").append(name).append("\"\n");
        sb.append(String.format(Locale.ROOT, "layer { name: \"data\" type: \"Input\" top: \"data\""
                + " input_param { shape { dim: 1 dim: %d dim: %d dim: %d } } }%n", channels, size, size));
        for (Object l : layers) {
            if (l instanceof Conv c) {
                sb.append(String.format(Locale.ROOT, "layer { name: \"%s\" type: \"Convolution\" bottom: \"%s\""
                        + " top: \"%s\" convolution_param { num_output: %d kernel_size: 1 } }%n", c.name(),
                        c.bottom(), c.name(), channels));
                if (c.relu()) {
                    relu(sb, c.name());
                }
            } else if (l instanceof Sum s) {
                sb.append(String.format(Locale.ROOT, "layer { name: \"%s\" type: \"Eltwise\" bottom: \"%s\""
                        + " bottom: \"%s\" top: \"%s\" eltwise_param { operation: SUM } }%n", s.name(), s.first(),
                        s.second(), s.name()));
                if (s.relu()) {
                    relu(sb, s.name());
                }
            } else if (l instanceof Pool p) {
                sb.append(String.format(Locale.ROOT, "layer { name: \"%s\" type: \"Pooling\" bottom: \"%s\""
                        + " top: \"%s\" pooling_param { pool: MAX kernel_size: 3 stride: 1 pad: 1 } }%n", p.name(),
                        p.bottom(), p.name()));
            }
        }
        return sb.toString().replace("\r\n", "\n");
    }

    private static void relu(StringBuilder sb, String blob) {
        sb.append(String.format(Locale.ROOT, "layer { name: \"%s_relu\" type: \"ReLU\" bottom: \"%s\" top: \"%s\" }%n",
                blob, blob, blob));
    }

    public byte[] caffemodel() {
        NetParameter.Builder net = NetParameter.newBuilder().setName(name);
        for (Object l : layers) {
            if (l instanceof Conv c) {
                float[][] w = weights(channels, c.seed(), c.gain());
                float[] flat = new float[channels * channels];
                for (int k = 0; k < channels; k++) {
                    System.arraycopy(w[k], 0, flat, k * channels, channels);
                }
                net.addLayer(LayerParameter.newBuilder().setName(c.name())
                        .addBlobs(blob(new long[] {channels, channels, 1, 1}, flat))
                        .addBlobs(blob(new long[] {channels}, bias(channels, c.seed(), c.gain()))));
            }
        }
        return net.build().toByteArray();
    }

    private static BlobProto blob(long[] shape, float[] values) {
        BlobProto.Builder b = BlobProto.newBuilder().setShape(BlobShape.newBuilder()
                .addAllDim(java.util.Arrays.stream(shape).boxed().toList()));
        for (float v : values) {
            b.addData(v);
        }
        return b.build();
    }

    /** Writes {@code <stem>.prototxt} and {@code <stem>.caffemodel}; returns the prototxt. */
    public Path writeCaffe(Path dir, String stem) throws IOException {
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(stem + ".prototxt"), prototxt());
        Files.write(dir.resolve(stem + ".caffemodel"), caffemodel());
        return dir.resolve(stem + ".prototxt");
    }

    /** Graph tensor -> scale for the Caffe graph, from scales by top name. */
    public Map<String, Float> caffeScales(Map<String, Float> byTop) {
        Map<String, Float> out = new LinkedHashMap<>();
        out.put("data", byTop.get("data"));
        for (Object l : layers) {
            String top = top(l);
            if (relu(l)) {
                out.put(top + "@" + top, byTop.get(top));
            }
            out.put(top, byTop.get(top));
        }
        return out;
    }

    /** Caffe layer name (and input blob) -> scale: the keys of an nvdla_compiler calibration table. */
    public Map<String, Float> caffeLayerScales(Map<String, Float> byTop) {
        Map<String, Float> out = new LinkedHashMap<>();
        out.put("data", byTop.get("data"));
        for (Object l : layers) {
            String top = top(l);
            out.put(top, byTop.get(top));
            if (relu(l)) {
                out.put(top + "_relu", byTop.get(top));
            }
        }
        return out;
    }

    // ---- ONNX -------------------------------------------------------------------------------

    public byte[] onnx() {
        GraphProto.Builder g = GraphProto.newBuilder().setName(name);
        g.addInput(ValueInfoProto.newBuilder().setName("data").setType(TypeProto.newBuilder().setTensorType(
                TypeProto.Tensor.newBuilder().setElemType(1).setShape(TensorShapeProto.newBuilder()
                        .addDim(dim(1)).addDim(dim(channels)).addDim(dim(size)).addDim(dim(size))))));
        for (Object l : layers) {
            String top = top(l);
            String out = relu(l) ? top + "_pre" : top;
            if (l instanceof Conv c) {
                float[][] w = weights(channels, c.seed(), c.gain());
                ByteBuffer wb = ByteBuffer.allocate(channels * channels * 4).order(ByteOrder.LITTLE_ENDIAN);
                for (float[] row : w) {
                    for (float v : row) {
                        wb.putFloat(v);
                    }
                }
                g.addInitializer(TensorProto.newBuilder().setName(c.name() + ".w").setDataType(1).addDims(channels)
                        .addDims(channels).addDims(1).addDims(1).setRawData(ByteString.copyFrom(wb.array())));
                ByteBuffer bb = ByteBuffer.allocate(channels * 4).order(ByteOrder.LITTLE_ENDIAN);
                for (float v : bias(channels, c.seed(), c.gain())) {
                    bb.putFloat(v);
                }
                g.addInitializer(TensorProto.newBuilder().setName(c.name() + ".b").setDataType(1).addDims(channels)
                        .setRawData(ByteString.copyFrom(bb.array())));
                g.addNode(NodeProto.newBuilder().setOpType("Conv").setName(c.name()).addInput(c.bottom())
                        .addInput(c.name() + ".w").addInput(c.name() + ".b").addOutput(out)
                        .addAttribute(ints("kernel_shape", 1, 1)).addAttribute(ints("pads", 0, 0, 0, 0))
                        .addAttribute(ints("strides", 1, 1)));
            } else if (l instanceof Sum s) {
                g.addNode(NodeProto.newBuilder().setOpType("Add").setName(s.name()).addInput(s.first())
                        .addInput(s.second()).addOutput(out));
            } else if (l instanceof Pool p) {
                g.addNode(NodeProto.newBuilder().setOpType("MaxPool").setName(p.name()).addInput(p.bottom())
                        .addOutput(out).addAttribute(ints("kernel_shape", 3, 3))
                        .addAttribute(ints("pads", 1, 1, 1, 1)).addAttribute(ints("strides", 1, 1)));
            }
            if (relu(l)) {
                g.addNode(NodeProto.newBuilder().setOpType("Relu").setName(top + "_relu").addInput(out)
                        .addOutput(top));
            }
        }
        g.addOutput(ValueInfoProto.newBuilder().setName(tops.get(tops.size() - 1)));
        return ModelProto.newBuilder().setIrVersion(7).setProducerName("nvdla-int8-maven-plugin tests")
                .addOpsetImport(OperatorSetIdProto.newBuilder().setDomain("").setVersion(13))
                .setGraph(g).build().toByteArray();
    }

    public Path writeOnnx(Path file) throws IOException {
        Files.createDirectories(file.toAbsolutePath().getParent());
        Files.write(file, onnx());
        return file;
    }

    /** Graph tensor -> scale for the ONNX graph, from scales by top name. */
    public Map<String, Float> onnxScales(Map<String, Float> byTop) {
        Map<String, Float> out = new LinkedHashMap<>();
        out.put("data", byTop.get("data"));
        for (Object l : layers) {
            String top = top(l);
            if (relu(l)) {
                out.put(top + "_pre", byTop.get(top));
            }
            out.put(top, byTop.get(top));
        }
        return out;
    }

    private static String top(Object l) {
        if (l instanceof Conv c) {
            return c.name();
        }
        if (l instanceof Sum s) {
            return s.name();
        }
        return ((Pool) l).name();
    }

    private static boolean relu(Object l) {
        return l instanceof Conv c ? c.relu() : l instanceof Sum s && s.relu();
    }

    private static TensorShapeProto.Dimension dim(long v) {
        return TensorShapeProto.Dimension.newBuilder().setDimValue(v).build();
    }

    private static AttributeProto ints(String name, long... values) {
        AttributeProto.Builder a = AttributeProto.newBuilder().setName(name).setType(AttributeProto.AttributeType.INTS);
        for (long v : values) {
            a.addInts(v);
        }
        return a.build();
    }
}
