package io.github.int8cal.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.github.int8cal.model.caffe.CaffeReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A concat of tensors with different amax, a stand-alone ReLU after it, a pooling, and a residual
 * sum; the prototxt alone (no weights) is enough.
 */
class ScaleUnificationTest {

    static final String NET = """
            input: "data" input_shape { dim: 1 dim: 3 dim: 8 dim: 8 }
            layer { name: "c0" type: "Convolution" bottom: "data" top: "c0" convolution_param { num_output: 4 kernel_size: 1 } }
            layer { name: "r0" type: "ReLU" bottom: "c0" top: "c0" }
            layer { name: "ca" type: "Convolution" bottom: "c0" top: "ca" convolution_param { num_output: 4 kernel_size: 1 } }
            layer { name: "cb" type: "Convolution" bottom: "c0" top: "cb" convolution_param { num_output: 4 kernel_size: 1 } }
            layer { name: "cat" type: "Concat" bottom: "ca" bottom: "cb" top: "cat" }
            layer { name: "catrelu" type: "ReLU" bottom: "cat" top: "cat" }
            layer { name: "pool" type: "Pooling" bottom: "cat" top: "pool" pooling_param { pool: MAX kernel_size: 1 } }
            layer { name: "cc" type: "Convolution" bottom: "pool" top: "cc" convolution_param { num_output: 4 kernel_size: 1 } }
            layer { name: "res" type: "Eltwise" bottom: "cc" bottom: "c0" top: "res" }
            layer { name: "rr" type: "ReLU" bottom: "res" top: "res" }
            """;

    @TempDir
    Path dir;
    Graph graph;
    Map<String, Double> amax;

    @BeforeEach
    void read() throws Exception {
        Path p = dir.resolve("net.prototxt");
        Files.writeString(p, NET);
        graph = new CaffeReader().read(p, null);
        amax = new LinkedHashMap<>();
        amax.put("data", 1.0);
        amax.put("c0@c0", 5.0);
        amax.put("c0", 4.0);
        amax.put("ca", 2.0);
        amax.put("cb", 3.0);
        amax.put("cat@cat", 2.5);
        amax.put("cat", 2.4);
        amax.put("pool", 2.5);
        amax.put("cc", 6.0);
        amax.put("res@res", 7.0);
        amax.put("res", 6.5);
    }

    @Test
    void concatStandAloneReluAndPoolShareTheLargestAmaxAndSumInputsToo() {
        ScaleUnification.Result r = ScaleUnification.unify(graph, amax, ScaleUnification.Mode.UNIFY);
        // group {ca, cb, cat@cat, cat, pool}: largest is cb = 3.0; group {cc, c0}: largest is cc = 6.0
        assertEquals(3.0, r.amax().get("ca"));
        assertEquals(3.0, r.amax().get("cb"));
        assertEquals(3.0, r.amax().get("cat@cat"));
        assertEquals(3.0, r.amax().get("cat"));
        assertEquals(3.0, r.amax().get("pool"));
        assertEquals(6.0, r.amax().get("c0"));
        assertEquals(6.0, r.amax().get("cc"));
        // merged ReLUs (r0 after a conv, rr after the sum) keep their own scales
        assertEquals(5.0, r.amax().get("c0@c0"));
        assertEquals(7.0, r.amax().get("res@res"));
        assertEquals(6.5, r.amax().get("res"));
        assertEquals(1.0, r.amax().get("data"));

        assertEquals(List.of("c0", "ca", "cat@cat", "cat", "pool"),
                r.changes().stream().map(ScaleUnification.Change::tensor).toList());
        ScaleUnification.Change ca = r.changes().get(1);
        assertEquals(2.0, ca.oldAmax());
        assertEquals(3.0, ca.newAmax());
        assertTrue(ca.reason().contains("Concat 'cat'") && ca.reason().contains("ReLU 'catrelu'")
                && ca.reason().contains("Pooling 'pool'") && ca.reason().contains("'cb'"), ca.reason());
        ScaleUnification.Change c0 = r.changes().get(0);
        assertEquals(4.0, c0.oldAmax());
        assertEquals(6.0, c0.newAmax());
        assertTrue(c0.reason().contains("Eltwise 'res'") && c0.reason().contains("element-wise SUM"), c0.reason());
        assertTrue(r.warnings().isEmpty());
    }

    @Test
    void reportOnlyModeKeepsValuesAndNamesTheLayers() {
        ScaleUnification.Result r = ScaleUnification.unify(graph, amax, ScaleUnification.Mode.REPORT_ONLY);
        assertEquals(amax, r.amax());
        assertTrue(r.changes().isEmpty());
        assertEquals(5, r.warnings().size(), r.warnings().toString());
        assertTrue(r.warnings().get(0).startsWith("tensor 'c0' has amax 4.00000000 but must share one scale with 'cc'"),
                r.warnings().get(0));
        assertTrue(r.warnings().get(1).contains("Concat 'cat'"), r.warnings().get(1));
    }

    @Test
    void reluAfterAFanOutIsStandAlone() throws Exception {
        Path p = dir.resolve("fan.prototxt");
        Files.writeString(p, """
                input: "data" input_shape { dim: 1 dim: 3 dim: 8 dim: 8 }
                layer { name: "c" type: "Convolution" bottom: "data" top: "c" convolution_param { num_output: 4 kernel_size: 1 } }
                layer { name: "relu" type: "ReLU" bottom: "c" top: "r" }
                layer { name: "other" type: "Pooling" bottom: "c" top: "p" pooling_param { pool: MAX kernel_size: 1 } }
                """);
        Graph g = new CaffeReader().read(p, null);
        Map<String, Double> a = Map.of("data", 1.0, "c", 4.0, "r", 3.0, "p", 4.0);
        ScaleUnification.Result r = ScaleUnification.unify(g, a, ScaleUnification.Mode.UNIFY);
        assertEquals(4.0, r.amax().get("r"));
        assertEquals(1, r.changes().size());
    }
}
