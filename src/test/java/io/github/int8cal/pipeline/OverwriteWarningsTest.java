package io.github.int8cal.pipeline;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.int8cal.examples.ResidualNets;
import io.github.int8cal.fixedpoint.WeightScope;
import io.github.int8cal.model.Graph;
import io.github.int8cal.model.onnx.OnnxReader;
import io.github.int8cal.plan.NetworkPlan;
import io.github.int8cal.plan.PlanOptions;
import io.github.int8cal.plan.NetworkPlanner;
import io.github.int8cal.plan.RequantMode;
import io.github.int8cal.problems.Problem;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The per-tensor overwrite warnings when no verification measured anything. */
class OverwriteWarningsTest {

    /**
     * {@code stem (+relu); p = maxpool(stem); b = conv(p); sumP = b + p (+relu)} as ONNX, scales stem
     * 0.11, p 0.1, b 0.09, sumP 0.13. p (created before b) takes b's 0.09, but the pool passes stem's
     * values through at 0.11: readers misread them by 0.11 / 0.09 = 1.222.
     */
    @Test
    void aPoolingProducerIsMisreadNotClipped(@TempDir Path dir) throws Exception {
        ResidualNets net = new ResidualNets("pool-fed", 4, 4).conv("stem", "data", true, 1).pool("p", "stem")
                .conv("b", "p", false, 2).sum("sumP", "b", "p", true);
        Graph g = new OnnxReader().read(net.writeOnnx(dir.resolve("m.onnx")));
        Map<String, Float> scales = net.onnxScales(Map.of("data", 0.05f, "stem", 0.11f, "p", 0.1f, "b", 0.09f,
                "sumP", 0.13f));
        NetworkPlan plan = NetworkPlanner.plan(g, scales, PlanOptions.builder()
                .mode(RequantMode.COMPILER).scope(WeightScope.PER_KERNEL).build());
        List<Problem> w = OverwriteWarnings.describe(g, plan, null);
        assertEquals(1, w.size());
        assertEquals("layer 'sumP'", w.get(0).where());
        // 127 * 0.1 = 12.7, 127 * 0.09 = 11.43
        assertTrue(w.get(0).message().startsWith("maxpool 'p' calibrated amax 12.7 runs at amax 11.43 because sum"
                + " 'sumP' takes 'b''s scale, but its producer never rescales: its values stay at scale 0.11 and every"
                + " reader misreads them by a factor 1.222"), w.get(0).message());
    }

    /** Without a verification a narrowing overwrite says where values start to clip. */
    @Test
    void withoutVerificationTheClippingIsNotMeasured(@TempDir Path dir) throws Exception {
        ResidualNets net = new ResidualNets("identity", 4, 4).conv("stem", "data", true, 1)
                .conv("b1a", "stem", true, 2).conv("b1b", "b1a", false, 3).sum("sum1", "b1b", "stem", true);
        Graph g = new OnnxReader().read(net.writeOnnx(dir.resolve("m.onnx")));
        Map<String, Float> scales = net.onnxScales(Map.of("data", 0.05f, "stem", 0.11f, "b1a", 0.07f, "b1b", 0.09f,
                "sum1", 0.13f));
        NetworkPlan plan = NetworkPlanner.plan(g, scales, PlanOptions.defaults(g.format()));
        List<Problem> w = OverwriteWarnings.describe(g, plan, null);
        assertEquals(1, w.size());
        // 127 * 0.11 = 13.97, 127 * 0.09 = 11.43
        assertTrue(w.get(0).message().startsWith("relu 'stem_relu' (tensor 'stem') calibrated amax 13.97 runs at amax"
                + " 11.43 because sum 'sum1' takes 'b1b''s scale: values beyond amax 11.43 clip (not measured: no INT8"
                + " verification)"), w.get(0).message());
    }
}
