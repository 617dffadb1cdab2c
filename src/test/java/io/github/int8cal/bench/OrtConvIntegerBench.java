package io.github.int8cal.bench;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import io.github.int8cal.nvdla.datapath.CaccOutput;
import io.github.int8cal.nvdla.datapath.ConvParams;
import io.github.int8cal.nvdla.datapath.ConvolutionEngine;
import io.github.int8cal.nvdla.datapath.OrtConvInteger;
import java.nio.ByteBuffer;
import java.nio.IntBuffer;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * ONNX Runtime's {@code ConvInteger} (CPU provider, 2 intra-op threads) as a candidate accumulation
 * backend, on the {@link ConvThroughputTableBench} shapes: GMAC/s per wall-clock and per CPU-second next
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
        String[] layers = args.length > 0 ? args : ConvThroughputTableBench.LAYERS;
        OrtEnvironment env = OrtEnvironment.getEnvironment();
        System.out.println(String.format(Locale.ROOT, "%-20s %13s %13s %8s %6s", "layer", "ORT ConvInt", "Java CACC",
                "equal", "load"));
        for (String layer : layers) {
            ConvParams p = ConvThroughputBench.parse(layer);
            Random rnd = new Random(42);
            byte[] x = new byte[p.inChannels() * p.inHeight() * p.inWidth()];
            rnd.nextBytes(x);
            byte[] w = new byte[(int) (p.kernels() * p.reductionLength())];
            rnd.nextBytes(w);
            byte[] xu = new byte[x.length];
            for (int i = 0; i < x.length; i++) {
                xu[i] = (byte) (x[i] + 128);
            }
            byte[] model = OrtConvInteger.model(w, p).toByteArray();
            OrtSession.SessionOptions opts = new OrtSession.SessionOptions();
            opts.setIntraOpNumThreads(ConvThroughputBench.THREADS);
            opts.setInterOpNumThreads(1);
            try (OrtSession session = env.createSession(model, opts);
                    OnnxTensor in = OnnxTensor.createTensor(env, ByteBuffer.wrap(xu),
                            new long[] {1, p.inChannels(), p.inHeight(), p.inWidth()},
                            ai.onnxruntime.OnnxJavaType.UINT8);
                    ConvolutionEngine engine = ConvolutionEngine.javaOnly(ConvThroughputBench.THREADS)) {
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
                ConvThroughputTableBench.Rate o = ConvThroughputTableBench.measure(macs, () -> {
                    try (OrtSession.Result r = session.run(feeds)) {
                        r.get(0);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
                ConvThroughputTableBench.Rate j = ConvThroughputTableBench.measure(macs, () -> engine.convolve(x, w, p, 4));
                System.out.println(String.format(Locale.ROOT, "%-20s %6.2f|%6.2f %6.2f|%6.2f %8s %6s", layer, o.wall(),
                        o.cpu(), j.wall(), j.cpu(), equal, load));
            }
        }
    }
}
