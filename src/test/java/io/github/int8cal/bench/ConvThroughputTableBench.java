package io.github.int8cal.bench;

import com.sun.management.OperatingSystemMXBean;
import io.github.int8cal.nvdla.datapath.ConvSdpLayer;
import io.github.int8cal.nvdla.datapath.ConvolutionEngine;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The issue-5 table in one run: per ResNet-50 layer shape, GMAC/s of our int8 tensor path
 * ({@link ConvSdpLayer#run}, conv + CACC + SDP, 2 threads; accumulation through ONNX Runtime where the
 * engine uses it), of the same on a {@link ConvolutionEngine#javaOnly} engine ("Java int8+SDP", the
 * fallback), of the CACC-only engine call, of plain
 * fp32 Java loops (2 threads), and of PyTorch's int8 {@code nn.quantized.Conv2d} with the qnnpack
 * and onednn engines (2 threads, {@code src/test/python/torch_int8_conv_bench.py}, same shapes,
 * run as a child process right after the Java figures of the same layer).
 *
 * <p>The machine is shared, so every figure comes twice: per wall-clock second and per CPU-second
 * of the measuring process (both threads counted; on an idle 2-core machine the 2-thread wall
 * figure approaches 2x the per-CPU-second one). Ratios use the per-CPU-second figures. The load
 * average ({@code /proc/loadavg}) is printed with each row.
 *
 * <p>Run (after {@code ./mvnw -o -q test-compile}):
 * <pre>
 * ./mvnw -B -o -q dependency:build-classpath -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.cp
 * java -cp target/classes:target/test-classes:$(cat target/bench.cp) io.github.int8cal.bench.ConvThroughputTableBench [layer ...]
 * </pre>
 * {@code -Dbench.python=none} skips the PyTorch columns; {@code -Dbench.python=/path/python3} picks
 * the interpreter (default {@code /usr/bin/python3}).
 */
public final class ConvThroughputTableBench {

    static final String[] LAYERS = {"56x56x64-3x3x64", "28x28x128-3x3x128", "14x14x256-3x3x256", "7x7x512-3x3x512",
        "56x56x64-1x1x256", "56x56x256-1x1x64", "28x28x512-1x1x128", "14x14x1024-1x1x256", "7x7x2048-1x1x512"};
    private static final Path SCRIPT = Path.of("src/test/python/torch_int8_conv_bench.py");

    private ConvThroughputTableBench() {
    }

    /** GMAC per wall-clock second and per CPU-second of this process. */
    record Rate(double wall, double cpu) {
        static final Rate NONE = new Rate(Double.NaN, Double.NaN);
    }

    public static void main(String[] args) throws Exception {
        String[] layers = args.length > 0 ? args : LAYERS;
        String python = System.getProperty("bench.python", "/usr/bin/python3");
        System.out.println(String.format(Locale.ROOT, "%-20s %13s %13s %13s %13s %13s %13s %7s %7s %7s %6s",
                "layer", "int8+SDP", "Java int8+SDP", "int8 CACC", "fp32", "qnnpack", "onednn", "/qnnp", "/onednn",
                "J/qnnp", "load"));
        System.out.println(String.format(Locale.ROOT, "%-20s %13s %13s %13s %13s %13s %13s %7s %7s %7s %6s",
                "", "wall | CPU-s", "wall | CPU-s", "wall | CPU-s", "wall | CPU-s", "wall | CPU-s", "wall | CPU-s",
                "CPU-s", "CPU-s", "CPU-s", "1-min"));
        for (String layer : layers) {
            ConvThroughputBench b = new ConvThroughputBench();
            b.layer = layer;
            b.setUp();
            double macs = b.params.macs();
            String load = loadAverage();
            Rate int8 = measure(macs, () -> ConvSdpLayer.run(b.engine, b.input, b.weights, b.registers));
            Rate javaInt8;
            try (ConvolutionEngine javaOnly = ConvolutionEngine.javaOnly(ConvThroughputBench.THREADS)) {
                javaInt8 = measure(macs, () -> ConvSdpLayer.run(javaOnly, b.input, b.weights, b.registers));
            }
            Rate cacc = measure(macs, () -> b.engine.convolve(b.input.data(), b.weights, b.params, 4));
            Rate fp32 = measure(macs, () -> {
                try {
                    b.fp32.run(b.fp32Pool, ConvThroughputBench.THREADS);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            b.tearDown();
            Map<String, Rate> torch = python.equals("none") ? Map.of() : torch(python, layer);
            Rate qnnpack = torch.getOrDefault("qnnpack", Rate.NONE);
            Rate onednn = torch.getOrDefault("onednn", torch.getOrDefault("fbgemm", Rate.NONE));
            System.out.println(String.format(Locale.ROOT, "%-20s %s %s %s %s %s %s %7.2f %7.2f %7.2f %6s", layer,
                    cell(int8), cell(javaInt8), cell(cacc), cell(fp32), cell(qnnpack), cell(onednn),
                    int8.cpu() / qnnpack.cpu(), int8.cpu() / onednn.cpu(), javaInt8.cpu() / qnnpack.cpu(), load));
        }
    }

    private static String cell(Rate r) {
        return String.format(Locale.ROOT, "%6.2f|%6.2f", r.wall(), r.cpu());
    }

    /** Warm up (8 runs and a second), then repeat for at least a second (and 5 runs), as the Python script does. */
    static Rate measure(double macs, Runnable op) {
        OperatingSystemMXBean os = (OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        // warm up for a second too: C2's compiler threads count as process CPU time while they work
        long w0 = System.nanoTime();
        for (int i = 0; i < 8 || System.nanoTime() - w0 < 1_000_000_000L; i++) {
            op.run();
        }
        int reps = 0;
        long cpu0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        long wall;
        do {
            op.run();
            reps++;
            wall = System.nanoTime() - t0;
        } while (wall < 1_000_000_000L || reps < 5);
        long cpu = os.getProcessCpuTime() - cpu0;
        return new Rate(macs * reps / wall, macs * reps / cpu);
    }

    private static Map<String, Rate> torch(String python, String layer) throws IOException, InterruptedException {
        Process proc = new ProcessBuilder(python, SCRIPT.toString(), layer).redirectErrorStream(true).start();
        Map<String, Rate> rates = new HashMap<>();
        List<String> other = new ArrayList<>();
        try (BufferedReader r = new BufferedReader(new InputStreamReader(proc.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line = r.readLine(); line != null; line = r.readLine()) {
                String[] f = line.split("\t");
                if (f.length == 5 && f[0].equals(layer)) {
                    rates.put(f[1], new Rate(Double.parseDouble(f[3]), Double.parseDouble(f[4])));
                } else {
                    other.add(line);
                }
            }
        }
        if (proc.waitFor() != 0) {
            throw new IllegalStateException(python + " " + SCRIPT + " failed:\n" + String.join("\n", other));
        }
        return rates;
    }

    private static String loadAverage() throws IOException {
        return Files.readString(Path.of("/proc/loadavg")).split(" ")[0];
    }
}
