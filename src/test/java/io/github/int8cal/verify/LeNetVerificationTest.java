package io.github.int8cal.verify;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.github.int8cal.fixedpoint.WeightScope;
import io.github.int8cal.model.Graph;
import io.github.int8cal.model.NvdlaTableKeys;
import io.github.int8cal.model.TableKey;
import io.github.int8cal.model.caffe.CaffeReader;
import io.github.int8cal.plan.NetworkPlan;
import io.github.int8cal.plan.PlanOptions;
import io.github.int8cal.plan.NetworkPlanner;
import io.github.int8cal.plan.RequantMode;
import io.github.int8cal.report.JUnitXmlWriter;
import io.github.int8cal.report.VerifyJson;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * LeNet from the fixture (prototxt + trained caffemodel, scales from the real nvdla_compiler JSON)
 * verified end to end on 20 seeded digit-like images written as .npy files.
 */
class LeNetVerificationTest {

    static final Path DIR = Path.of("../shared/fixtures/caffe-lenet");
    static final int SAMPLES = 20;
    static Graph graph;
    static Map<String, Float> scales;

    @BeforeAll
    static void load() throws Exception {
        graph = new CaffeReader().read(DIR.resolve("lenet.prototxt"), DIR.resolve("lenet.caffemodel"));
        JsonNode table = new ObjectMapper().readTree(DIR.resolve("lenet.int8.json").toFile());
        scales = new LinkedHashMap<>();
        for (TableKey key : NvdlaTableKeys.of(graph)) {
            scales.put(key.tensor(), (float) table.get(key.key()).get("scale").asDouble());
        }
    }

    static Path writeSamples(Path dir) throws Exception {
        Path samples = Files.createDirectories(dir.resolve("samples"));
        SplittableRandom r = new SplittableRandom(2024);
        // 16 single images with the model's own shape, then one batch file of 4
        for (int i = 0; i < 16; i++) {
            NpyWriter.writeFloat32(samples.resolve(String.format(Locale.ROOT, "digit_%02d.npy", i)),
                    new long[] {1, 1, 28, 28}, DigitImages.digit(i % 10, r));
        }
        float[] batch = new float[4 * 784];
        for (int i = 0; i < 4; i++) {
            System.arraycopy(DigitImages.digit((i + 3) % 10, r), 0, batch, i * 784, 784);
        }
        NpyWriter.writeFloat32(samples.resolve("digit_batch.npy"), new long[] {4, 1, 28, 28}, batch);
        return samples;
    }

    static VerificationReport verify(Path samples, RequantMode mode, WeightScope scope) throws Exception {
        NetworkPlan plan = NetworkPlanner.plan(graph, scales, PlanOptions.builder().mode(mode).scope(scope).build());
        return Verifier.verify(VerifyRequest.of(graph, plan, VerifySettings.builder().samples(samples).threads(2)
                .maxSamples(0).build()));
    }

    /**
     * What can be justified: every hardware layer runs; the convolutions keep SQNR above 20 dB (an
     * RMS error under 10% of the signal; int8 with well-chosen scales typically gives 25-40 dB);
     * the digit decision agrees with float32 on at least 18 of 20 images (LeNet's margins on clean
     * strokes are large compared with an int8 step of the logits, 0.14).
     */
    @Test
    void runsEndToEndWithSaneMetricsInEveryMode(@TempDir Path dir) throws Exception {
        Path samples = writeSamples(dir);
        for (RequantMode mode : RequantMode.values()) {
            for (WeightScope scope : WeightScope.values()) {
                VerificationReport r = verify(samples, mode, scope);
                String what = mode + "/" + scope;
                assertEquals(VerificationReport.MODE_SAMPLES, r.mode());
                assertEquals(SAMPLES, r.samples());
                assertEquals(java.util.List.of("data", "conv1", "pool1", "conv2", "pool2", "ip1", "ip2", "prob"),
                        r.layers().stream().map(LayerMetrics::layer).toList(), what);
                for (String conv : new String[] {"conv1", "conv2", "ip1", "ip2"}) {
                    LayerMetrics m = r.layer(conv).orElseThrow();
                    assertTrue(m.sqnrDb() > 20, what + " " + conv + " SQNR " + m.sqnrDb());
                    assertTrue(m.cosine() > 0.99, what + " " + conv + " cosine " + m.cosine());
                    assertEquals(0L, m.hwCaccOutSaturation(), what + " " + conv);
                    assertEquals("conv-sdp", m.engine());
                }
                OutputMetrics prob = r.outputs().get(0);
                assertEquals("prob", prob.tensor());
                assertTrue(prob.classifier());
                assertEquals(SAMPLES, prob.items());
                assertTrue(prob.top1Agreement() >= 0.9, what + " top-1 " + prob.top1Agreement());
            }
        }
    }

    /** Same samples, one or two threads: identical metrics, report nodes and JUnit XML. */
    @Test
    void isDeterministicAcrossRunsAndThreadCounts(@TempDir Path dir) throws Exception {
        Path samples = writeSamples(dir);
        NetworkPlan plan = NetworkPlanner.plan(graph, scales, PlanOptions.defaults(graph.format()));
        VerifySettings one = VerifySettings.builder().samples(samples).maxSamples(0).threads(1).build();
        VerifySettings two = VerifySettings.builder().samples(samples).maxSamples(0).threads(2).build();
        VerificationReport a = Verifier.verify(VerifyRequest.of(graph, plan, one));
        VerificationReport b = Verifier.verify(VerifyRequest.of(graph, plan, two));
        ObjectMapper json = new ObjectMapper();
        ObjectNode ra = json.createObjectNode();
        VerifyJson.addTo(ra, a);
        ObjectNode rb = json.createObjectNode();
        VerifyJson.addTo(rb, b);
        assertEquals(json.writeValueAsString(ra), json.writeValueAsString(rb));
        assertEquals(JUnitXmlWriter.render(a, one.rules()), JUnitXmlWriter.render(b, two.rules()));
        assertEquals(a.layers(), b.layers());
    }
}
