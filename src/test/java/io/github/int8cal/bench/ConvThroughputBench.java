package io.github.int8cal.bench;

import io.github.int8cal.nvdla.datapath.CdmaInputConverter;
import io.github.int8cal.nvdla.datapath.ConvParams;
import io.github.int8cal.nvdla.datapath.ConvSdpLayer;
import io.github.int8cal.nvdla.datapath.ConvolutionEngine;
import io.github.int8cal.nvdla.datapath.Int8Tensor;
import io.github.int8cal.nvdla.datapath.ConvLayerConfig;
import io.github.int8cal.nvdla.datapath.LayerResult;
import io.github.int8cal.nvdla.datapath.OutputConverter;
import io.github.int8cal.nvdla.datapath.SdpConfig;
import io.github.int8cal.nvdla.datapath.SdpOperand;
import io.github.int8cal.nvdla.datapath.TensorLayout;
import io.github.int8cal.nvdla.datapath.XUnit;
import java.util.Collection;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/**
 * Tensor-path throughput on ResNet-50 layer shapes: int8 conv + CACC + SDP (per-channel requant
 * multiply, ReLU, output converter) through {@link ConvSdpLayer} on 2 threads, next to the same
 * convolution in plain fp32 Java loops on 2 threads.
 *
 * <p>Run (after {@code ./mvnw -o -q test-compile}):
 * <pre>
 * java -cp target/classes:target/test-classes:$HOME/.m2/repository/org/openjdk/jmh/jmh-core/1.37/jmh-core-1.37.jar:\
 * $HOME/.m2/repository/net/sf/jopt-simple/jopt-simple/5.0.4/jopt-simple-5.0.4.jar:\
 * $HOME/.m2/repository/org/apache/commons/commons-math3/3.6.1/commons-math3-3.6.1.jar \
 *   io.github.int8cal.bench.ConvThroughputBench
 * </pre>
 * {@code main} prints GMAC/s per layer; layer names read
 * {@code HxWxCin-RxSxCout} (stride 1, "same" padding).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 6, time = 1)
@Fork(1)
public class ConvThroughputBench {

    static final int THREADS = 2;

    @Param({"56x56x64-3x3x64", "28x28x128-3x3x128", "14x14x256-3x3x256", "7x7x512-3x3x512",
        "56x56x64-1x1x256", "56x56x256-1x1x64", "28x28x512-1x1x128", "14x14x1024-1x1x256", "7x7x2048-1x1x512"})
    public String layer;

    ConvParams params;
    Int8Tensor input;
    byte[] weights;
    ConvLayerConfig registers;
    ConvolutionEngine engine;
    Fp32DirectConvolution fp32;
    ExecutorService fp32Pool;

    static ConvParams parse(String layer) {
        String[] io = layer.split("-");
        String[] in = io[0].split("x");
        String[] k = io[1].split("x");
        int kernel = Integer.parseInt(k[0]);
        return ConvParams.of(Integer.parseInt(in[2]), Integer.parseInt(in[0]), Integer.parseInt(in[1]),
                Integer.parseInt(k[2]), kernel, Integer.parseInt(k[1]), 1, kernel / 2, 1, 0);
    }

    @Setup(Level.Trial)
    public void setUp() {
        params = parse(layer);
        Random rnd = new Random(42);
        byte[] data = new byte[params.inChannels() * params.inHeight() * params.inWidth()];
        rnd.nextBytes(data);
        input = new Int8Tensor(params.inChannels(), params.inHeight(), params.inWidth(), TensorLayout.NCHW, data);
        weights = new byte[(int) (params.kernels() * params.reductionLength())];
        rnd.nextBytes(weights);
        int[] scale = new int[params.kernels()];
        for (int i = 0; i < scale.length; i++) {
            scale[i] = 1000 + rnd.nextInt(20000);
        }
        registers = new ConvLayerConfig(params, CdmaInputConverter.DISABLED, 4,
                SdpConfig.of(XUnit.multiply(new SdpOperand.PerKernel(scale), 20, true), OutputConverter.IDENTITY));
        engine = new ConvolutionEngine(THREADS);
        fp32 = new Fp32DirectConvolution(params, data, weights);
        fp32Pool = Executors.newFixedThreadPool(THREADS);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        engine.close();
        fp32Pool.shutdownNow();
    }

    @Benchmark
    public LayerResult int8ConvSdp() {
        return ConvSdpLayer.run(engine, input, weights, registers);
    }

    @Benchmark
    public float[] fp32Conv() throws Exception {
        return fp32.run(fp32Pool, THREADS);
    }

    public static void main(String[] args) throws Exception {
        Options opt = new OptionsBuilder().include(ConvThroughputBench.class.getSimpleName()).build();
        Collection<RunResult> results = new Runner(opt).run();
        System.out.println();
        System.out.println(String.format(Locale.ROOT, "%-22s %-12s %10s %10s", "layer", "benchmark", "ms/op", "GMAC/s"));
        for (RunResult r : results) {
            String layer = r.getParams().getParam("layer");
            String bench = r.getParams().getBenchmark().replaceAll(".*\\.", "");
            double ms = r.getPrimaryResult().getScore();
            double gmacs = parse(layer).macs() / (ms * 1e6);
            System.out.println(String.format(Locale.ROOT, "%-22s %-12s %10.2f %10.2f", layer, bench, ms, gmacs));
        }
    }
}
