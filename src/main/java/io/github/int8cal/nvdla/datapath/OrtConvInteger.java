package io.github.int8cal.nvdla.datapath;

import ai.onnxruntime.OnnxJavaType;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import com.google.protobuf.ByteString;
import io.github.int8cal.model.onnx.proto.OnnxProto;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * ONNX Runtime's {@code ConvInteger} (CPU provider, MLAS u8 kernels) as the int32 accumulation
 * backend of {@link ConvolutionEngine}: the exact sums {@code sum w * x} of a layer, which the
 * engine then passes through our CACC stage. Measured 4x the pure-Java accumulation on the
 * ResNet-50 shapes (OrtConvIntegerBench), and bit-identical (OrtConvIntegerTest).
 *
 * <p>Why the sums are exact: int8 values are fed as {@code v + 128} (uint8) with zero point 128;
 * ORT computes in int32 modulo 2^32, so its result is the true sum whenever that fits an int,
 * which {@link #supports} guarantees ({@code C*R*S <= INT_SAFE_TERMS}, |product| <= 2^14). ORT pads
 * with the zero point, i.e. int8 0, so layers with another pad value stay on the Java path, as do
 * layers whose output size ONNX's size formula cannot reproduce (an output cropped short of what
 * the input allows).
 *
 * <p>One session per layer (weights are an initializer), cached by weights array and geometry.
 */
public final class OrtConvInteger implements AutoCloseable {

    private static final int CACHED_LAYERS = 64;

    private final OrtEnvironment env;
    private final int threads;
    private final Map<Key, OrtSession> sessions = new LinkedHashMap<>(16, 0.75f, true);

    private record Key(byte[] weights, ConvParams params) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.weights == weights && k.params.equals(params);
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(weights) * 31 + params.hashCode();
        }
    }

    /** Direct input/output buffers of one run, reused (allocating direct memory per run costs a GC's worth). */
    private record Buffers(ByteBuffer in, IntBuffer out) {
    }

    private final java.util.concurrent.ConcurrentLinkedQueue<Buffers> spare =
            new java.util.concurrent.ConcurrentLinkedQueue<>();

    private OrtConvInteger(OrtEnvironment env, int threads) {
        this.env = env;
        this.threads = threads;
    }

    /** The backend, or null when ONNX Runtime cannot load on this platform (the Java path is used). */
    static OrtConvInteger tryCreate(int threads) {
        try {
            return new OrtConvInteger(OrtEnvironment.getEnvironment(), threads);
        } catch (RuntimeException | LinkageError e) {
            return null;
        }
    }

    /** True when ConvInteger computes exactly the sums this layer needs (see the class comment). */
    static boolean supports(ConvParams p) {
        return p.padValue() == 0 && p.reductionLength() <= ConvolutionEngine.INT_SAFE_TERMS
                && ortOutput(p.inHeight(), p.padTop(), padBottom(p), p.kernelHeight(), p.dilationY(), p.strideY())
                        == p.outHeight()
                && ortOutput(p.inWidth(), p.padLeft(), padRight(p), p.kernelWidth(), p.dilationX(), p.strideX())
                        == p.outWidth();
    }

    /** ONNX's output size for the given padding (ORT computes it, it cannot be told). */
    private static long ortOutput(long in, long padBegin, long padEnd, long k, long dilation, long stride) {
        return Math.floorDiv(in + padBegin + padEnd - dilation * (k - 1) - 1, stride) + 1;
    }

    /**
     * Bottom padding implied by the output size; 0 when the last window ends inside the input (the
     * strided rows beyond it are never read, and ONNX's floor gives the same output size then).
     */
    private static long padBottom(ConvParams p) {
        return Math.max(0, (long) (p.outHeight() - 1) * p.strideY() + (long) (p.kernelHeight() - 1) * p.dilationY()
                + 1 - p.inHeight() - p.padTop());
    }

    private static long padRight(ConvParams p) {
        return Math.max(0, (long) (p.outWidth() - 1) * p.strideX() + (long) (p.kernelWidth() - 1) * p.dilationX()
                + 1 - p.inWidth() - p.padLeft());
    }

    /**
     * The exact accumulators, planar {@code [k][outY][outX]}, handed to {@code reader} in a direct
     * buffer ORT wrote into (a pinned output: no copies through heap buffers; the buffers are
     * reused, so {@code reader} must not keep it); false if ORT failed (use the Java path).
     */
    boolean accumulate(byte[] feature, byte[] weights, ConvParams p, java.util.function.Consumer<IntBuffer> reader) {
        Buffers b = null;
        try {
            OrtSession session = session(weights, p);
            b = spare.poll();
            int outLength = p.kernels() * p.outPixels();
            if (b == null || b.in.capacity() < feature.length || b.out.capacity() < outLength) {
                // grown to the largest layer seen, so a network's layers share one pair
                int inCap = Math.max(feature.length, b == null ? 0 : b.in.capacity());
                int outCap = Math.max(outLength, b == null ? 0 : b.out.capacity());
                b = new Buffers(ByteBuffer.allocateDirect(inCap),
                        ByteBuffer.allocateDirect(outCap * Integer.BYTES).order(ByteOrder.nativeOrder()).asIntBuffer());
            }
            ByteBuffer x = b.in.slice(0, feature.length);
            IntBuffer y = b.out.slice(0, outLength);
            byte[] xu = new byte[feature.length];
            for (int i = 0; i < xu.length; i++) {
                xu[i] = (byte) (feature[i] ^ 0x80);        // v + 128 as uint8 (a heap loop: vectorised)
            }
            x.put(0, xu);
            try (OnnxTensor in = OnnxTensor.createTensor(env, x,
                    new long[] {1, p.inChannels(), p.inHeight(), p.inWidth()}, OnnxJavaType.UINT8);
                    OnnxTensor out = OnnxTensor.createTensor(env, y,
                            new long[] {1, p.kernels(), p.outHeight(), p.outWidth()});
                    OrtSession.Result r = session.run(Map.of("x", in), Map.of("y", out))) {
                reader.accept(y);
                return true;
            }
        } catch (OrtException | RuntimeException e) {
            return false;
        } finally {
            if (b != null) {
                spare.offer(b);
            }
        }
    }

    private synchronized OrtSession session(byte[] weights, ConvParams p) throws OrtException {
        Key key = new Key(weights, p);
        OrtSession s = sessions.get(key);
        if (s == null) {
            OrtSession.SessionOptions opts = new OrtSession.SessionOptions();
            opts.setIntraOpNumThreads(threads);
            opts.setInterOpNumThreads(1);
            // ORT's workers spin after each run by default: CPU taken from our SDP threads and
            // from the other builds on a shared machine
            opts.addConfigEntry("session.intra_op.allow_spinning", "0");
            s = env.createSession(model(weights, p).toByteArray(), opts);
            sessions.put(key, s);
            if (sessions.size() > CACHED_LAYERS) {
                var eldest = sessions.entrySet().iterator().next();
                eldest.getValue().close();
                sessions.remove(eldest.getKey());
            }
        }
        return s;
    }

    /**
     * One ConvInteger node, x and w uint8 with zero point 128 (ORT 1.22's CPU provider has no
     * int8-weight ConvInteger kernel). Public so that the benchmark times exactly the graph the
     * engine runs.
     */
    public static OnnxProto.ModelProto model(byte[] w, ConvParams p) {
        byte[] wu = new byte[w.length];
        for (int i = 0; i < w.length; i++) {
            wu[i] = (byte) (w[i] ^ 0x80);
        }
        ByteString zero = ByteString.copyFrom(new byte[] {(byte) 128});
        OnnxProto.GraphProto.Builder g = OnnxProto.GraphProto.newBuilder().setName("conv");
        g.addInitializer(OnnxProto.TensorProto.newBuilder().setName("w").setDataType(2)
                .addDims(p.kernels()).addDims(p.inChannels()).addDims(p.kernelHeight()).addDims(p.kernelWidth())
                .setRawData(ByteString.copyFrom(wu)));
        g.addInitializer(OnnxProto.TensorProto.newBuilder().setName("xz").setDataType(2).setRawData(zero));
        g.addInitializer(OnnxProto.TensorProto.newBuilder().setName("wz").setDataType(2).setRawData(zero));
        g.addNode(OnnxProto.NodeProto.newBuilder().setOpType("ConvInteger").setName("conv")
                .addInput("x").addInput("w").addInput("xz").addInput("wz").addOutput("y")
                .addAttribute(ints("pads", p.padTop(), p.padLeft(), padBottom(p), padRight(p)))
                .addAttribute(ints("strides", p.strideY(), p.strideX()))
                .addAttribute(ints("dilations", p.dilationY(), p.dilationX()))
                .addAttribute(ints("kernel_shape", p.kernelHeight(), p.kernelWidth())));
        g.addInput(value("x", 2, 1, p.inChannels(), p.inHeight(), p.inWidth()));
        g.addOutput(value("y", 6, 1, p.kernels(), p.outHeight(), p.outWidth()));
        return OnnxProto.ModelProto.newBuilder().setIrVersion(8).setProducerName("int8cal")
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

    @Override
    public synchronized void close() {
        for (OrtSession s : sessions.values()) {
            try {
                s.close();
            } catch (OrtException e) {
                // closing a native session cannot be recovered from; the others still close
            }
        }
        sessions.clear();
    }
}
