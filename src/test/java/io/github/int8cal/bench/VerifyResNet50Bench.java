package io.github.int8cal.bench;

import io.github.int8cal.model.Graph;
import io.github.int8cal.model.ModelReader;
import io.github.int8cal.model.Shape;
import io.github.int8cal.plan.NetworkPlan;
import io.github.int8cal.plan.NetworkPlanner;
import io.github.int8cal.plan.PlanOptions;
import io.github.int8cal.verify.FloatTensor;
import io.github.int8cal.verify.Fp32Executor;
import io.github.int8cal.verify.Gate;
import io.github.int8cal.verify.Int8Executor;
import io.github.int8cal.verify.Int8Step;
import io.github.int8cal.verify.LayerMetrics;
import io.github.int8cal.verify.OnnxNet;
import io.github.int8cal.verify.StepResult;
import io.github.int8cal.verify.VerificationReport;
import io.github.int8cal.verify.Verifier;
import io.github.int8cal.verify.VerifyRequest;
import io.github.int8cal.verify.VerifySettings;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * The full INT8 verification of a ResNet-50-sized network (torchvision v1.5 layout: 7x7/2 stem,
 * bottlenecks [3, 4, 6, 3], stride on the 3x3, projection shortcuts, GAP, FC 1000, softmax;
 * 25.6 M parameters, 4.1 GMAC per image) built in code with He-normal weights and BN statistics
 * near identity (the last BN of each residual branch scaled down, as trained ResNets are), on
 * 4 random-image samples from a directory of .npy files.
 *
 * <p>Run: {@code java -Xmx6g -cp target/test-classes:target/classes:<test deps>
 * io.github.int8cal.bench.VerifyResNet50Bench [threads] [samples] [workdir]}. Prints the time of
 * each phase (model write, read, scales by one fp32 pass, planning, fp32 and int8 passes inside
 * the verification, the verification's total) and the slowest int8 steps.
 */
public final class VerifyResNet50Bench {

    private VerifyResNet50Bench() {
    }

    public static void main(String[] args) throws Exception {
        int threads = args.length > 0 ? Integer.parseInt(args[0]) : Runtime.getRuntime().availableProcessors();
        int samples = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        Path dir = args.length > 2 ? Path.of(args[2]) : Files.createTempDirectory("resnet50-bench");
        Files.createDirectories(dir);
        System.out.printf(Locale.ROOT, "threads %d, samples %d, work dir %s%n", threads, samples, dir);

        long t = System.nanoTime();
        Path model = resnet50(42).write(dir, "resnet50.onnx");
        System.out.printf(Locale.ROOT, "build+write model  %7.2f s  (%d MB)%n", secs(t), Files.size(model) >> 20);

        t = System.nanoTime();
        Graph graph = ModelReader.read(model, null);
        System.out.printf(Locale.ROOT, "read model         %7.2f s  (%d layers)%n", secs(t), graph.layers().size());

        Path sampleDir = Files.createDirectories(dir.resolve("samples"));
        SplittableRandom r = new SplittableRandom(7);
        List<FloatTensor> images = new ArrayList<>();
        for (int i = 0; i < samples; i++) {
            float[] x = new float[3 * 224 * 224];
            for (int j = 0; j < x.length; j++) {
                x[j] = (float) (r.nextDouble() * 4 - 2);
            }
            images.add(new FloatTensor(Shape.of(1, 3, 224, 224), x));
            writeNpy(sampleDir.resolve(String.format(Locale.ROOT, "s%02d.npy", i)), x);
        }

        t = System.nanoTime();
        Map<String, Float> scales = new LinkedHashMap<>();
        try (Fp32Executor fp32 = new Fp32Executor(graph, threads)) {
            for (Map.Entry<String, FloatTensor> e : fp32.runAll(Map.of("x", images.get(0))).entrySet()) {
                float amax = 0;
                for (float v : e.getValue().data()) {
                    amax = Math.max(amax, Math.abs(v));
                }
                scales.put(e.getKey(), amax > 0 ? amax / 127f : 1f);
            }
        }
        System.out.printf(Locale.ROOT, "scales (1 fp32)    %7.2f s%n", secs(t));

        t = System.nanoTime();
        NetworkPlan plan = NetworkPlanner.plan(graph, scales, PlanOptions.defaults(graph.format()));
        System.out.printf(Locale.ROOT, "plan               %7.2f s  (%d hardware layers)%n", secs(t),
                plan.layers().size());

        t = System.nanoTime();
        VerifySettings settings = VerifySettings.builder().samples(sampleDir).threads(threads).build();
        VerificationReport report = Verifier.verify(new VerifyRequest(settings, graph, plan, Map.of(), Map.of(),
                m -> System.out.println("  " + m)));
        double total = secs(t);
        System.out.printf(Locale.ROOT, "verify total       %7.2f s  (load %.2f s, fp32 %.2f s, int8 %.2f s)%n", total,
                report.timings().loadMillis() / 1e3, report.timings().fp32Millis() / 1e3,
                report.timings().int8Millis() / 1e3);
        LayerMetrics last = report.layers().get(report.layers().size() - 2);
        System.out.printf(Locale.ROOT, "fc SQNR %.1f dB, top-1 agreement %s, %d violations%n",
                last.sqnrDb() == null ? Double.NaN : last.sqnrDb(), report.outputs().get(0).top1Agreement(),
                report.violations().size());
        System.out.print(Gate.render(report.violations().subList(0, Math.min(5, report.violations().size()))));
        profileInt8(graph, plan, images.get(0), threads);
    }

    /** Time per int8 engine kind for one sample, and the five slowest steps. */
    static void profileInt8(Graph graph, NetworkPlan plan, FloatTensor image, int threads) {
        try (Int8Executor int8 = new Int8Executor(graph, plan, threads)) {
            Map<String, io.github.int8cal.verify.QuantTensor> env = new java.util.HashMap<>();
            Map<Int8Step.Engine, Double> byEngine = new java.util.EnumMap<>(Int8Step.Engine.class);
            List<Map.Entry<String, Double>> steps = new ArrayList<>();
            for (Int8Step s : int8.steps()) {
                long t = System.nanoTime();
                StepResult res = s.engine() == Int8Step.Engine.INPUT ? int8.quantizeInput(s, image)
                        : int8.runStep(s, env);
                double sec = secs(t);
                env.put(s.output(), res.output());
                byEngine.merge(s.engine(), sec, Double::sum);
                steps.add(Map.entry(s.name(), sec));
            }
            System.out.println("int8, one sample, by engine: " + byEngine);
            steps.sort((a, b) -> Double.compare(b.getValue(), a.getValue()));
            System.out.println("slowest int8 steps: " + steps.subList(0, 5));
        }
    }

    static double secs(long start) {
        return (System.nanoTime() - start) / 1e9;
    }

    /** torchvision-style ResNet-50 (v1.5) for 1x3x224x224. */
    public static OnnxNet resnet50(long seed) {
        OnnxNet n = new OnnxNet(seed).input("x", 1, 3, 224, 224);
        n.conv("conv1", "x", "conv1", 3, 64, 7, 2, 3, 1, 1, false).batchNorm("bn1", "conv1", "bn1", 64)
                .node("Relu", "relu1", List.of("bn1"), List.of("relu1"))
                .node("MaxPool", "pool1", List.of("relu1"), List.of("pool1"), OnnxNet.ints("kernel_shape", 3, 3),
                        OnnxNet.ints("strides", 2, 2), OnnxNet.ints("pads", 1, 1, 1, 1));
        String x = "pool1";
        int in = 64;
        int[] blocks = {3, 4, 6, 3};
        int[] widths = {64, 128, 256, 512};
        for (int stage = 0; stage < 4; stage++) {
            for (int b = 0; b < blocks[stage]; b++) {
                String p = "layer" + (stage + 1) + "." + b;
                int w = widths[stage];
                int stride = b == 0 && stage > 0 ? 2 : 1;
                n.conv(p + ".conv1", x, p + ".c1", in, w, 1, 1, 0, 1, 1, false).batchNorm(p + ".bn1", p + ".c1",
                        p + ".b1", w).node("Relu", p + ".relu1", List.of(p + ".b1"), List.of(p + ".r1"));
                n.conv(p + ".conv2", p + ".r1", p + ".c2", w, w, 3, stride, 1, 1, 1, false).batchNorm(p + ".bn2",
                        p + ".c2", p + ".b2", w).node("Relu", p + ".relu2", List.of(p + ".b2"), List.of(p + ".r2"));
                n.conv(p + ".conv3", p + ".r2", p + ".c3", w, 4 * w, 1, 1, 0, 1, 1, false);
                n.batchNorm(p + ".bn3", p + ".c3", p + ".b3", 4 * w, 0.1, 0.3);
                String shortcut = x;
                if (b == 0) {
                    n.conv(p + ".down", x, p + ".d", in, 4 * w, 1, stride, 0, 1, 1, false)
                            .batchNorm(p + ".downbn", p + ".d", p + ".db", 4 * w);
                    shortcut = p + ".db";
                }
                n.node("Add", p + ".add", List.of(p + ".b3", shortcut), List.of(p + ".s"))
                        .node("Relu", p + ".relu", List.of(p + ".s"), List.of(p + ".out"));
                x = p + ".out";
                in = 4 * w;
            }
        }
        n.node("GlobalAveragePool", "gap", List.of(x), List.of("gap"))
                .node("Flatten", "flatten", List.of("gap"), List.of("flat"), OnnxNet.i("axis", 1))
                .gemm("fc", "flat", "logits", 2048, 1000)
                .node("Softmax", "softmax", List.of("logits"), List.of("prob"), OnnxNet.i("axis", 1))
                .output("prob");
        return n;
    }

    static void writeNpy(Path file, float[] x) throws java.io.IOException {
        String dict = "{'descr': '<f4', 'fortran_order': False, 'shape': (1, 3, 224, 224), }";
        int total = 10 + dict.length() + 1;
        String header = dict + " ".repeat((total + 63) / 64 * 64 - total) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + x.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        b.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0)
                .putShort((short) header.length()).put(header.getBytes(StandardCharsets.US_ASCII));
        for (float v : x) {
            b.putFloat(v);
        }
        Files.write(file, b.array());
    }
}
