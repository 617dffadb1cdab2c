package io.github.int8cal.bench;

import io.github.int8cal.calib.CalibrationMethod;
import io.github.int8cal.model.Graph;
import io.github.int8cal.model.ModelReader;
import io.github.int8cal.model.Shape;
import io.github.int8cal.pipeline.BuildLog;
import io.github.int8cal.pipeline.CalibratePipeline;
import io.github.int8cal.pipeline.CalibrateRequest;
import io.github.int8cal.verify.FloatTensor;
import io.github.int8cal.verify.Fp32Executor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Wall time of the whole {@code calibrate} work (what the goal runs) on a ResNet-50-sized ONNX model
 * built in code ({@link VerifyResNet50Bench#resnet50}), with 4 {@code .npy} samples and entropy
 * calibration from 2048-bin histograms. The statistics are collected first with one float32 pass
 * per sample, as a user's collection script would; that part is timed separately and is not part of
 * the goal. The pipeline logs its own phase times ({@code nvdla-int8: time: read ..., calibrate ...,
 * unify and plan ..., verify (samples, float32, int8) ..., render and write ...}).
 *
 * <p>Run: {@code ./mvnw -B -o -q test-compile && ./mvnw -B -o -q dependency:build-classpath
 * -Dmdep.includeScope=test -Dmdep.outputFile=target/bench.cp && java -Xmx8g -cp
 * target/classes:target/test-classes:$(cat target/bench.cp) io.github.int8cal.bench.CalibrateResNet50Bench [workdir]}
 */
public final class CalibrateResNet50Bench {

    private static final int SAMPLES = 4;
    private static final int BINS = 2048;

    private CalibrateResNet50Bench() {
    }

    public static void main(String[] args) throws Exception {
        Path dir = args.length > 0 ? Path.of(args[0]) : Files.createTempDirectory("calibrate-resnet50");
        Files.createDirectories(dir);
        Path model = VerifyResNet50Bench.resnet50(42).write(dir, "resnet50.onnx");
        Path samples = Files.createDirectories(dir.resolve("samples"));
        SplittableRandom r = new SplittableRandom(7);
        List<FloatTensor> images = new ArrayList<>();
        for (int i = 0; i < SAMPLES; i++) {
            float[] x = new float[3 * 224 * 224];
            for (int j = 0; j < x.length; j++) {
                x[j] = (float) (r.nextDouble() * 4 - 2);
            }
            images.add(new FloatTensor(Shape.of(1, 3, 224, 224), x));
            VerifyResNet50Bench.writeNpy(samples.resolve(String.format(Locale.ROOT, "s%02d.npy", i)), x);
        }

        long t = System.nanoTime();
        Path statistics = collectStatistics(ModelReader.read(model, null), images, dir.resolve("stats.json"));
        System.out.printf(Locale.ROOT, "statistics collection (outside the goal): %.2f s%n", (System.nanoTime() - t) / 1e9);

        CalibrateRequest request = CalibrateRequest.builder().statistics(statistics)
                .calibration(c -> c.method(CalibrationMethod.ENTROPY)).model(model, null)
                .outputs(dir.resolve("out"), dir.resolve("report")).verify(v -> v.samples(samples)).build();
        t = System.nanoTime();
        try {
            new CalibratePipeline(new StdoutLog()).run(request);
        } catch (io.github.int8cal.problems.ProblemException e) {
            System.out.println("gate: " + e.getMessage().lines().findFirst().orElse(""));
        }
        System.out.printf(Locale.ROOT, "calibrate goal work, total wall: %.2f s%n", (System.nanoTime() - t) / 1e9);
    }

    /** min/max and a 2048-bin |x| histogram of every tensor over all samples, as our statistics JSON. */
    private static Path collectStatistics(Graph graph, List<FloatTensor> images, Path out) throws Exception {
        Map<String, float[]> range = new java.util.LinkedHashMap<>();
        List<Map<String, FloatTensor>> runs = new ArrayList<>();
        try (Fp32Executor fp32 = new Fp32Executor(graph, Runtime.getRuntime().availableProcessors())) {
            for (FloatTensor image : images) {
                Map<String, FloatTensor> all = fp32.runAll(Map.of("x", image));
                for (Map.Entry<String, FloatTensor> e : all.entrySet()) {
                    float[] mm = range.computeIfAbsent(e.getKey(), k -> new float[] {Float.MAX_VALUE, -Float.MAX_VALUE});
                    for (float v : e.getValue().data()) {
                        mm[0] = Math.min(mm[0], v);
                        mm[1] = Math.max(mm[1], v);
                    }
                }
                runs.add(all);
            }
        }
        StringBuilder json = new StringBuilder("{\"format\": \"nvdla-int8-statistics\", \"version\": 1, \"tensors\": [\n");
        boolean first = true;
        for (Map.Entry<String, float[]> e : range.entrySet()) {
            float lo = e.getValue()[0];
            float hi = e.getValue()[1];
            double absMax = Math.max(Math.abs(lo), Math.abs(hi));
            long[] counts = new long[BINS];
            for (Map<String, FloatTensor> run : runs) {
                for (float v : run.get(e.getKey()).data()) {
                    int bin = absMax == 0 ? 0 : (int) Math.min(BINS - 1, Math.abs(v) / absMax * BINS);
                    counts[bin]++;
                }
            }
            json.append(first ? "" : ",\n");
            first = false;
            json.append(String.format(Locale.ROOT, "{\"name\": \"%s\", \"min\": %s, \"max\": %s, \"histogram\": "
                    + "{\"lo\": 0.0, \"hi\": %s, \"abs\": true, \"counts\": [", e.getKey(), Float.toString(lo),
                    Float.toString(hi), Double.toString(absMax)));
            for (int i = 0; i < BINS; i++) {
                json.append(i == 0 ? "" : ",").append(counts[i]);
            }
            json.append("]}}");
        }
        json.append("\n]}\n");
        Files.writeString(out, json, StandardCharsets.UTF_8);
        return out;
    }

    private static final class StdoutLog implements BuildLog {
        @Override
        public void info(String message) {
            System.out.println("[INFO] " + message);
        }

        @Override
        public void warn(String message) {
            System.out.println("[WARNING] " + message);
        }

        @Override
        public void debug(String message) {
        }

        @Override
        public boolean isDebugEnabled() {
            return false;
        }
    }
}
