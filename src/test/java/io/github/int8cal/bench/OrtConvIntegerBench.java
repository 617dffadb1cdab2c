package io.github.int8cal.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import com.google.protobuf.ByteString;
import io.github.int8cal.model.onnx.proto.OnnxProto;
import io.github.int8cal.nvdla.datapath.CaccOutput;
import io.github.int8cal.nvdla.datapath.ConvParams;
import io.github.int8cal.nvdla.datapath.ConvolutionEngine;
import java.nio.ByteBuffer;
import java.nio.IntBuffer;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * ONNX Runtime's {@code ConvInteger} (CPU provider, 2 intra-op threads) as a candidate accumulation
 * backend, on the {@link ConvThroughputTable} shapes: GMAC/s per wall-clock and per CPU-second next
 * to the pure-Java CACC-only engine call ({@code ConvolutionEngine.javaOnly}) in the same run, plus a check that ORT's int32 accumulators equal
 * ours (CLIP_TRUNCATE 0) on the layer's data. Input and weights are our int8 + 128 as uint8 with
 * zero point 128; our pad value is 0 (the bench layers), the "equal" column shows whether ORT's
 * padding agrees.
 *
 * <p>Run: {@code java -cp target/classes:target/test-classes:$(cat target/bench.cp)
 * io.github.int8cal.bench.OrtConvIntegerBench [layer ...]}
 */
public final class OrtConvIntegerBench {

    private OrtConvIntegerBench() {
    }

    public static void main(String[] args) throws Exception {
        String[] layers = args.length > 0 ? args : ConvThroughputTable.LAYERS;
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        System.out.println(String.format(Locale.ROOT, "%-20s %13s %13s %8s %6s", "layer", "ORT ConvInt", "Java CACC",
                "equal", "load"));
        for (String layer : layers) {
            ConvParams p = ConvThroughputBenchmark.parse(layer);
            Random rnd = new Random(42);
            byte[] x = new byte[p.inChannels() * p.inHeight() * p.inWidth()];
            rnd.nextBytes(x);
            byte[] w = new byte[(int) (p.kernels() * p.reductionLength())];
            rnd.nextBytes(w);
            byte[] xu = new byte[x.length];
            for (int i = 0; i < x.length; i++) {
                xu[i] = (byte) (x[i] + 128);
            }
            byte[] model = model(p, w).toByteArray();
            OrtSession.SessionOptions opts = new OrtSession.SessionOptions();
            opts.setIntraOpNumThreads(ConvThroughputBenchmark.THREADS);
            opts.setInterOpNumThreads(1);
            try (OrtSession session = env.createSession(model, opts);
                    OnnxTensor in = OnnxTensor.createTensor(env, ByteBuffer.wrap(xu),
                            new long[] {1, p.inChannels(), p.inHeight(), p.inWidth()},
                            ai.onnxruntime.OnnxJavaType.UINT8);
                    ConvolutionEngine engine = ConvolutionEngine.javaOnly(ConvThroughputBenchmark.THREADS)) {
                Map<String, OnnxTensor> feeds = Map.of("x", in);
                int[] ort;
                try (OrtSession.Result r = session.run(feeds)) {
                    IntBuffer b = ((OnnxTensor) r.get(0)).getIntBuffer();
                    ort = new int[b.remaining()];
                    b.get(ort);
                }
                CaccOutput ours = engine.convolve(x, w, p, 0);
                boolean equal = java.util.Arrays.equals(ort, ours.values());
                double macs = p.macs();
                String load = java.nio.file.Files.readString(java.nio.file.Path.of("/proc/loadavg")).split(" ")[0];
                ConvThroughputTable.Rate o = ConvThroughputTable.measure(macs, () -> {
                    try (OrtSession.Result r = session.run(feeds)) {
                        r.get(0);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                ConvThroughputTable.Rate j = ConvThroughputTable.measure(macs, () -> engine.convolve(x, w, p, 4));
                System.out.println(String.format(Locale.ROOT, "%-20s %6.2f|%6.2f %6.2f|%6.2f %8s %6s", layer, o.wall(),
                        o.cpu(), j.wall(), j.cpu(), equal, load));
            }
        }
    }

    /**
     * One ConvInteger node: x and w as uint8 with zero point 128 (ORT 1.22's CPU provider has no
     * int8-weight ConvInteger: "Could not find an implementation"), int32 out.
     */
    private static OnnxProto.ModelProto model(ConvParams p, byte[] w) {
        OnnxProto.GraphProto.Builder g = OnnxProto.GraphProto.newBuilder().setName("conv");
        byte[] wu = new byte[w.length];
        for (int i = 0; i < w.length; i++) {
            wu[i] = (byte) (w[i] + 128);
        }
        g.addInitializer(OnnxProto.TensorProto.newBuilder().setName("w").setDataType(2)
                .addDims(p.kernels()).addDims(p.inChannels()).addDims(p.kernelHeight()).addDims(p.kernelWidth())
                .setRawData(ByteString.copyFrom(wu)));
        g.addInitializer(OnnxProto.TensorProto.newBuilder().setName("wz").setDataType(2)
                .setRawData(ByteString.copyFrom(new byte[] {(byte) 128})));
        g.addInitializer(OnnxProto.TensorProto.newBuilder().setName("xz").setDataType(2)
                .setRawData(ByteString.copyFrom(new byte[] {(byte) 128})));
        g.addNode(OnnxProto.NodeProto.newBuilder().setOpType("ConvInteger").setName("c")
                .addInput("x").addInput("w").addInput("xz").addInput("wz").addOutput("y")
                .addAttribute(ints("pads", p.padTop(), p.padLeft(), p.padTop(), p.padLeft()))
                .addAttribute(ints("strides", p.strideY(), p.strideX()))
                .addAttribute(ints("kernel_shape", p.kernelHeight(), p.kernelWidth())));
        g.addInput(value("x", 2, 1, p.inChannels(), p.inHeight(), p.inWidth()));
        g.addOutput(value("y", 6, 1, p.kernels(), p.outHeight(), p.outWidth()));
        return OnnxProto.ModelProto.newBuilder().setIrVersion(8).setProducerName("int8cal-bench")
                .addOpsetImport(OnnxProto.OperatorSetIdProto.newBuilder().setDomain("").setVersion(13))
                .setGraph(g).build();
    }

    private static OnnxProto.AttributeProto ints(String name, long... v) {
        OnnxProto.AttributeProto.Builder a = OnnxProto.AttributeProto.newBuilder().setName(name)
                .setType(OnnxProto.AttributeProto.AttributeType.INTS);
        for (long x : v) {
            a.addInts(x);
        }
        return a.build();
    }

    private static OnnxProto.ValueInfoProto value(String name, int type, long... dims) {
        OnnxProto.TensorShapeProto.Builder s = OnnxProto.TensorShapeProto.newBuilder();
        for (long d : dims) {
            s.addDim(OnnxProto.TensorShapeProto.Dimension.newBuilder().setDimValue(d));
        }
        return OnnxProto.ValueInfoProto.newBuilder().setName(name).setType(OnnxProto.TypeProto.newBuilder()
                .setTensorType(OnnxProto.TypeProto.Tensor.newBuilder().setElemType(type).setShape(s))).build();
    }
}
