package io.github.int8cal.examples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;

/**
 * Produces {@code examples/tiny-cnn/stats.json}: activation statistics of a small made-up CNN,
 * drawn from seeded distributions shaped like real ones (an image input in [0, 1], ReLU outputs
 * with a long tail, logits, softmax probabilities). No third-party model or data is involved.
 *
 * <p>Regenerate with {@code ./mvnw -q test-compile exec:java}-free plain Java:
 * {@code java -cp target/test-classes io.github.int8cal.examples.ExampleStatistics examples/tiny-cnn/stats.json}.
 * {@code ExampleStatisticsTest} fails when the committed file differs from what this produces.
 */
public final class ExampleStatistics {

    static final int BINS = 2048;
    static final int SAMPLES = 200_000;

    private ExampleStatistics() {
    }

    public static String generate() {
        SplittableRandom random = new SplittableRandom(20261128L);
        StringBuilder json = new StringBuilder();
        json.append("{\"format\": \"nvdla-int8-statistics\", \"version\": 1,\n \"tensors\": [\n");
        String[] names = {"data", "conv1", "conv2", "fc1", "prob"};
        for (int t = 0; t < names.length; t++) {
            double[] x = new double[SAMPLES];
            for (int i = 0; i < SAMPLES; i++) {
                x[i] = sample(names[t], random);
            }
            appendTensor(json, names[t], x);
            json.append(t + 1 < names.length ? ",\n" : "\n");
        }
        json.append(" ]}\n");
        return json.toString();
    }

    private static double sample(String tensor, SplittableRandom random) {
        switch (tensor) {
            case "data":
                // 8-bit pixels scaled to [0, 1]: mostly dark background, some strokes
                return random.nextDouble() < 0.8 ? 0.0 : random.nextInt(256) / 255.0;
            case "conv1":
                // ReLU of a Gaussian with a heavy tail of rare large activations
                return Math.max(0, random.nextDouble() < 0.001 ? 8 * random.nextDouble() : gaussian(random) * 1.2);
            case "conv2":
                return Math.max(0, random.nextDouble() < 0.0005 ? 15 * random.nextDouble() : gaussian(random) * 2.5);
            case "fc1":
                // logits: signed, roughly Laplacian
                double e = -Math.log(1 - random.nextDouble()) * 3.0;
                return random.nextBoolean() ? e : -e;
            case "prob":
                // softmax outputs: many near 0, saturating at 1.0
                return Math.min(1.0, Math.pow(random.nextDouble(), 6));
            default:
                throw new IllegalArgumentException(tensor);
        }
    }

    private static double gaussian(SplittableRandom random) {
        // Box-Muller on the seeded generator: same bytes on every JVM
        double u = 1 - random.nextDouble();
        double v = random.nextDouble();
        return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
    }

    private static void appendTensor(StringBuilder json, String name, double[] x) {
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        double absMax = 0;
        for (double v : x) {
            min = Math.min(min, v);
            max = Math.max(max, v);
            absMax = Math.max(absMax, Math.abs(v));
        }
        // round the range to 6 decimals first, so the histogram and the printed range agree exactly
        double hi = Double.parseDouble(String.format(Locale.ROOT, "%.6f", absMax));
        long[] counts = new long[BINS];
        for (double v : x) {
            int bin = (int) Math.min(BINS - 1, Math.floor(Math.abs(v) / hi * BINS));
            counts[bin]++;
        }
        json.append(String.format(Locale.ROOT, "  {\"name\": \"%s\", \"min\": %.6f, \"max\": %.6f,\n", name, min, max));
        json.append(String.format(Locale.ROOT, "   \"histogram\": {\"lo\": 0.0, \"hi\": %.6f, \"abs\": true, \"counts\": [", hi));
        for (int i = 0; i < BINS; i++) {
            json.append(i == 0 ? "" : ", ").append(counts[i]);
        }
        json.append("]}}");
    }

    public static void main(String[] args) throws IOException {
        Files.writeString(Path.of(args[0]), generate(), StandardCharsets.UTF_8);
    }
}
