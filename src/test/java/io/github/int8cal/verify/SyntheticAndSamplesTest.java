package io.github.int8cal.verify;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.int8cal.model.Graph;
import io.github.int8cal.model.Shape;
import io.github.int8cal.plan.NetworkPlan;
import io.github.int8cal.plan.PlanOptions;
import io.github.int8cal.plan.NetworkPlanner;
import io.github.int8cal.problems.ProblemException;
import io.github.int8cal.stats.Histogram;
import io.github.int8cal.stats.TensorStatistics;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SyntheticAndSamplesTest {

    static Graph graph;
    static NetworkPlan plan;
    static Map<String, TensorStatistics> statistics;

    /** LeNet with statistics (2048-bin |x| histograms) collected from 8 digit images by the fp32 executor. */
    @BeforeAll
    static void load() throws Exception {
        LeNetVerificationTest.load();
        graph = LeNetVerificationTest.graph;
        plan = NetworkPlanner.plan(graph, LeNetVerificationTest.scales, PlanOptions.defaults(graph.format()));
        Map<String, double[]> range = new LinkedHashMap<>();
        Map<String, List<float[]>> values = new LinkedHashMap<>();
        SplittableRandom r = new SplittableRandom(9);
        try (Fp32Executor e = new Fp32Executor(graph, 1)) {
            for (int i = 0; i < 8; i++) {
                FloatTensor x = new FloatTensor(Shape.of(1, 1, 28, 28), DigitImages.digit(i, r));
                for (Map.Entry<String, FloatTensor> t : e.runAll(Map.of("data", x)).entrySet()) {
                    double[] mm = range.computeIfAbsent(t.getKey(), k -> new double[] {0, 0});
                    for (float v : t.getValue().data()) {
                        mm[0] = Math.min(mm[0], v);
                        mm[1] = Math.max(mm[1], v);
                    }
                    values.computeIfAbsent(t.getKey(), k -> new java.util.ArrayList<>()).add(t.getValue().data());
                }
            }
        }
        statistics = new LinkedHashMap<>();
        for (String t : range.keySet()) {
            double[] mm = range.get(t);
            double amax = Math.max(-mm[0], mm[1]);
            long[] counts = new long[2048];
            for (float[] v : values.get(t)) {
                for (float f : v) {
                    counts[Math.min(2047, (int) (Math.abs(f) / amax * 2048))]++;
                }
            }
            statistics.put(t, new TensorStatistics(t, mm[0], mm[1], new Histogram(0, amax, true, counts), null, t));
        }
    }

    static VerificationReport synthetic(long seed) throws ProblemException {
        VerifySettings settings = VerifySettings.builder().threads(2).seed(seed).build();
        return Verifier.verify(new VerifyRequest(settings, graph, plan, statistics, Map.of(), VerifyProgress.NONE));
    }

    @Test
    void syntheticModeRunsEveryLayerAloneDeterministicallyPerSeed() throws Exception {
        VerificationReport a = synthetic(5);
        VerificationReport b = synthetic(5);
        VerificationReport c = synthetic(6);
        assertEquals(VerificationReport.MODE_SYNTHETIC, a.mode());
        assertEquals(VerifySettings.DEFAULT_SYNTHETIC_SAMPLES, a.samples());
        assertEquals(a.layers(), b.layers());
        assertNotEquals(a.layers(), c.layers(), "another seed draws other inputs");
        assertNull(a.outputs().get(0).top1Agreement(), "no end-to-end run, no top-1");
        // each layer is fed its own dequantized int8 input, so its error is its own requantization:
        // far below what int8 rounding of a full-range signal allows
        for (String conv : new String[] {"conv1", "conv2", "ip1", "ip2"}) {
            LayerMetrics m = a.layer(conv).orElseThrow();
            assertTrue(m.sqnrDb() > 20, conv + " " + m.sqnrDb());
            assertEquals(VerifySettings.DEFAULT_SYNTHETIC_SAMPLES * graph.tensor(m.tensor()).shape().elementCount(),
                    m.elements());
        }
    }

    @Test
    void drawsFollowTheHistogramAndTheSignOfTheStatistics() {
        long[] counts = new long[10];
        counts[4] = 100; // all mass in [0.4, 0.5)
        TensorStatistics positive = new TensorStatistics("t", 0, 1, new Histogram(0, 1, true, counts), null, "t");
        FloatTensor v = SyntheticInputs.draw(Shape.of(1, 1000), positive, 1f, new SplittableRandom(1));
        for (float f : v.data()) {
            assertTrue(f >= 0.4f && f < 0.5f, "value " + f);
        }
        TensorStatistics signed = new TensorStatistics("t", -1, 1, new Histogram(0, 1, true, counts), null, "t");
        FloatTensor w = SyntheticInputs.draw(Shape.of(1, 1000), signed, 1f, new SplittableRandom(1));
        long negative = 0;
        for (float f : w.data()) {
            assertTrue(Math.abs(f) >= 0.4f && Math.abs(f) < 0.5f, "value " + f);
            negative += f < 0 ? 1 : 0;
        }
        assertTrue(negative > 400 && negative < 600, "about half negative: " + negative);
    }

    @Test
    void uint8SamplesAreRawPixelsThroughTheInputRecipe(@TempDir Path dir) throws Exception {
        byte[] pixels = new byte[784];
        pixels[0] = (byte) 255;
        pixels[1] = (byte) 128;
        NpyWriter.writeUint8(dir.resolve("a.npy"), new long[] {1, 28, 28}, pixels);
        List<Map<String, FloatTensor>> s = Samples.load(dir, graph, 0, 128f, 1 / 128f);
        assertEquals(1, s.size());
        float[] x = s.get(0).get("data").data();
        assertEquals((255 - 128) / 128f, x[0]);
        assertEquals(0f, x[1]);
        assertEquals(-1f, x[2]);
    }

    @Test
    void collectsEveryMisshapenFileAndHonoursMaxSamples(@TempDir Path dir) throws Exception {
        NpyWriter.writeFloat32(dir.resolve("a.npy"), new long[] {1, 28, 28}, new float[784]);
        NpyWriter.writeFloat32(dir.resolve("b.npy"), new long[] {3, 1, 28, 28}, new float[3 * 784]);
        assertEquals(2, Samples.load(dir, graph, 2, 0, 1).size());
        assertEquals(4, Samples.load(dir, graph, 0, 0, 1).size());
        NpyWriter.writeFloat32(dir.resolve("c.npy"), new long[] {28, 28}, new float[784]);
        NpyWriter.writeFloat32(dir.resolve("d.npy"), new long[] {1, 3, 28, 28}, new float[3 * 784]);
        Files.writeString(dir.resolve("notes.txt"), "ignored");
        ProblemException e = assertThrows(ProblemException.class, () -> Samples.load(dir, graph, 0, 0, 1));
        assertEquals(2, e.problems().size());
        assertEquals(dir.resolve("c.npy") + ": expected an array of shape (1, 28, 28) or (n, 1, 28, 28), got (28, 28)",
                e.problems().get(0).toString());
        assertTrue(e.problems().get(1).toString().startsWith(dir.resolve("d.npy").toString()));
    }

    @Test
    void anEmptyDirectoryIsAProblemNotACrash(@TempDir Path dir) {
        ProblemException e = assertThrows(ProblemException.class, () -> Samples.load(dir, graph, 0, 0, 1));
        assertEquals(dir + ": expected .npy sample files (numpy.save), found none", e.getMessage());
        assertArrayEquals(new long[] {1, 28, 28}, Samples.itemShape(graph.tensor("data").shape()));
    }
}
